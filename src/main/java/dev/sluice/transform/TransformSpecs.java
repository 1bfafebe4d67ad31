package dev.sluice.transform;

import dev.sluice.Stage;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import dev.sluice.spec.ParsedConfig;
import dev.sluice.spec.Violation;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** The specs of the transform steps (map, filter, explode, set, limit, dedupe, batch): fields declared once, and factories. */
public final class TransformSpecs {

    static final Field<String> EXPRESSION = Field.string("expression").required()
            .validate(Jq::check, "be a valid jq expression")
            .describe("A jq expression (jq 1.6), compiled once when the pipeline is built.");
    static final Field<String> PATH = Field.string("path").required()
            .validate(Jq::check, "be a valid jq path such as .total or .meta.source")
            .describe("The jq path to assign, e.g. .total.");
    static final Field<String> VALUE = Field.string("value").required()
            .validate(Jq::check, "be a valid jq expression")
            .describe("A jq expression over the item whose single output is assigned to the path.");
    static final Field<Long> COUNT = Field.longInteger("count").required().check(n -> n >= 1, "be >= 1")
            .describe("How many good items to let through; then the source stops being read.");
    static final Field<String> KEY = Field.string("key").required()
            .validate(Jq::check, "be a valid jq expression")
            .describe("A jq expression whose output identifies an item, e.g. .id.");
    static final Field<Integer> CAPACITY = Field.integer("capacity").defaultsTo(100_000).check(n -> n >= 1, "be >= 1")
            .describe("How many recent keys are remembered; a key evicted from this window may pass again.");

    static final Field<Integer> SIZE = Field.integer("size").defaultsTo(BatchOptions.DEFAULT_SIZE)
            .check(n -> n >= 1 && n <= BatchOptions.MAX_SIZE, "be >= 1 and <= " + BatchOptions.MAX_SIZE)
            .describe("The most items in a batch.");
    static final Field<Long> BYTES = Field.size("bytes").defaultsTo(BatchOptions.DEFAULT_BYTES).check(n -> n >= 2, "be >= 2")
            .describe("The most bytes of a batch written as a compact JSON array; a batch closes before the item that "
                    + "would exceed it, and an item larger than this forms a batch alone.");
    static final Field<Duration> WINDOW = Field.duration("window").defaultsTo(BatchOptions.DEFAULT_WINDOW)
            .check(d -> !d.isNegative() && !d.isZero(), "be > 0")
            .describe("The longest the first item of a batch waits for the batch to fill.");

    static final ComponentSpec<Stage> MAP = jq("map", "Replaces each item's value with the jq expression's output.",
            "Project fields", "map: '{id, title, author: .author.name}'", Jq::map);
    static final ComponentSpec<Stage> FILTER = jq("filter", "Keeps the items for which any output of the jq expression is truthy (neither null nor false), once each; counts the others as filtered.",
            "Popular items", "filter: '.score >= 50'", Jq::filter);
    static final ComponentSpec<Stage> EXPLODE = jq("explode", "Emits one item per output of the jq expression.",
            "One item per array element", "explode: '.items[]'", Jq::explode);

    static final ComponentSpec<Stage> SET = ComponentSpec.<Stage>step("set")
            .summary("Assigns a path of each item from a jq expression over the item.")
            .fields(PATH, VALUE)
            .example("A computed total", "set: { path: .total, value: '.price * .qty' }")
            .factory(c -> Jq.set(c.get(PATH), c.get(VALUE)));

    static final ComponentSpec<Stage> LIMIT = ComponentSpec.<Stage>step("limit")
            .summary("Lets the first N good items through, then stops reading the source; items already read drain, "
                    + "and good ones beyond the limit are counted as cut (filtered; redone by a resumed --state run).")
            .shorthand(COUNT)
            .example("A sample of ten", "limit: 10")
            .factory(c -> Transform.limit(c.get(COUNT)));

    static final ComponentSpec<Stage> DEDUPE = ComponentSpec.<Stage>step("dedupe")
            .summary("Drops items whose key was seen recently (bounded memory); duplicates are counted as filtered.")
            .shorthand(KEY)
            .fields(CAPACITY)
            .example("Unique ids", "dedupe: .id")
            .example("Unique URLs in a bounded window", "dedupe: { key: .url, capacity: 10000 }")
            .factory(c -> Jq.dedupe(c.get(KEY), c.get(CAPACITY)));

    static final ComponentSpec<Stage> BATCH = ComponentSpec.<Stage>step("batch")
            .summary("Groups good items into one item holding the JSON array of their values, closed by count, bytes or "
                    + "time, whichever comes first; failed items pass unbatched. A batch of n counts n - 1 as merged; a batch "
                    + "that fails later leaves one dead-letter line whose members field lists every member's input.")
            .shorthand(SIZE)
            .fields(BYTES, WINDOW)
            .rule(TransformSpecs::someLimit)
            .example("Batches of 500 records, at most 1 MB, within 5 s", "batch: { size: 500, bytes: 1MB, window: 5s }")
            .example("Batches of 100", "batch: 100")
            .beta()
            .factory(c -> Transform.batch(new BatchOptions(c.get(SIZE), c.get(BYTES), c.get(WINDOW))));

    private TransformSpecs() {}

    /** A batch step names at least one of its limits, so what closes its batches is written down. */
    private static List<Violation> someLimit(ParsedConfig c) {
        return c.isGiven(SIZE) || c.isGiven(BYTES) || c.isGiven(WINDOW) ? List.of()
                : List.of(new Violation("size", "batch takes at least one of size, bytes or window"));
    }

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
     * @return map, filter, explode, set, limit, dedupe and batch
     */
    public static List<ComponentSpec<Stage>> all() {
        return List.of(MAP, FILTER, EXPLODE, SET, LIMIT, DEDUPE, BATCH);
    }
}
