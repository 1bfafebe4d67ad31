package dev.sluice.transform;

import dev.sluice.Stage;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import java.util.List;
import java.util.function.Function;

/** The specs of the jq steps (map, filter, explode): their fields, declared once, and factories. */
public final class TransformSpecs {

    static final Field<String> EXPRESSION = Field.string("expression").required()
            .validate(Jq::check, "be a valid jq expression")
            .describe("A jq expression (jq 1.6), compiled once when the pipeline is built.");

    static final ComponentSpec<Stage> MAP = jq("map", "Replaces each item's value with the jq expression's output.",
            "Project fields", "map: '{id, title, author: .author.name}'", Jq::map);
    static final ComponentSpec<Stage> FILTER = jq("filter", "Keeps the items for which the jq expression is truthy; counts the others as filtered.",
            "Popular items", "filter: '.score >= 50'", Jq::filter);
    static final ComponentSpec<Stage> EXPLODE = jq("explode", "Emits one item per output of the jq expression.",
            "One item per array element", "explode: '.items[]'", Jq::explode);

    private TransformSpecs() {}

    private static ComponentSpec<Stage> jq(String name, String summary, String title, String example,
            Function<String, Stage> factory) {
        return ComponentSpec.<Stage>step(name)
                .summary(summary)
                .shorthand(EXPRESSION)
                .example(title, example)
                .beta()
                .factory(c -> factory.apply(c.get(EXPRESSION)));
    }

    /**
     * Returns the specs of the transform package.
     *
     * @return map, filter and explode
     */
    public static List<ComponentSpec<Stage>> all() {
        return List.of(MAP, FILTER, EXPLODE);
    }
}
