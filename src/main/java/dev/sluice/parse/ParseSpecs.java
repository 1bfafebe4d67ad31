package dev.sluice.parse;

import dev.sluice.Stage;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import java.util.List;

/** The spec of the {@code parse} step: its fields, declared once, and its factory. */
public final class ParseSpecs {

    static final Field<String> FORMAT = Field.oneOf("format", "json", "ndjson").defaultsTo("json")
            .describe("json: the whole body is one value; ndjson: one value per line, bad lines dead-letter alone.");

    static final ComponentSpec<Stage> SPEC = ComponentSpec.<Stage>step("parse")
            .summary("Parses each fetched body into JSON items; malformed input dead-letters with its line and column.")
            .shorthand(FORMAT)
            .example("A JSON body", "parse: json")
            .example("An NDJSON body", "parse: { format: ndjson }")
            .beta()
            .factory(c -> "ndjson".equals(c.get(FORMAT)) ? Parse.ndjson() : Parse.json());

    private ParseSpecs() {}

    /**
     * Returns the specs of the parse package.
     *
     * @return the parse step
     */
    public static List<ComponentSpec<Stage>> all() {
        return List.of(SPEC);
    }
}
