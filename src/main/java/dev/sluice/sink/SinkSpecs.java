package dev.sluice.sink;

import dev.sluice.Sink;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import dev.sluice.spec.ParsedConfig;
import dev.sluice.spec.Violation;
import java.nio.file.Path;
import java.util.List;

/** The specs of the built-in sinks and dead-letter sinks: fields declared once, and factories. */
public final class SinkSpecs {

    static final Field<String> PATH = Field.string("path").required()
            .describe("The file to write, relative to the working directory; parent directories are created and an existing file is replaced.");
    static final Field<String> FORMAT = Field.oneOf("format", "ndjson", "json", "csv").defaultsTo("ndjson")
            .describe("ndjson: one JSON value per line; json: one JSON array; csv: a header row and one row per item.");
    static final Field<List<String>> COLUMNS = Field.stringList("columns")
            .describe("csv: the columns, in order; by default the fields of the first item.");
    static final Field<Boolean> ATOMIC = Field.bool("atomic").defaultsTo(false)
            .describe("Write to a temporary file and rename it onto path only when the run completes: readers never see a partial file.");
    static final Field<String> DIR = Field.string("path").required()
            .describe("The directory to write into; created if missing. An item whose name would escape it, or has no value for a placeholder, is dead-lettered (reason sink).");
    static final Field<String> NAME = Field.string("name").required()
            .describe("The file name template: {field}, {a.b} for nested fields, {#} for the item number, e.g. '{id}.json'.");
    static final Field<String> DEAD_PATH = Field.string("path").required()
            .describe("The dead-letter file, relative to the working directory; parent directories are created.");

    static final ComponentSpec<Sink> FILE = ComponentSpec.<Sink>sink("file")
            .summary("Writes good items to a file, off the event loop; flushed and closed on completion, error and cancellation.")
            .fields(PATH, FORMAT, COLUMNS, ATOMIC)
            .rule(c -> c.isGiven(COLUMNS) && !"csv".equals(c.get(FORMAT))
                    ? List.of(new Violation("columns", "columns applies to format csv only, format is " + c.get(FORMAT)))
                    : List.of())
            .example("NDJSON file", "file: { path: out/items.ndjson }")
            .example("CSV with chosen columns", "file: { path: out/items.csv, format: csv, columns: [id, title] }")
            .example("Replaced only when the run completes", "file: { path: out/items.json, format: json, atomic: true }")
            .beta()
            .factory(SinkSpecs::file);

    static final ComponentSpec<Sink> STDOUT = ComponentSpec.<Sink>sink("stdout")
            .summary("Writes good items to standard output as NDJSON.")
            .example("Pipe into jq", "stdout: {}")
            .beta()
            .factory(c -> Outputs.stdout());

    static final ComponentSpec<Sink> DIRECTORY = ComponentSpec.<Sink>sink("directory")
            .summary("Writes each good item to its own JSON file in a directory, named from the item.")
            .fields(DIR, NAME)
            .example("One file per id", "directory: { path: out/items, name: '{id}.json' }")
            .factory(c -> Outputs.directory(Path.of(c.get(DIR)), c.get(NAME)));

    static final ComponentSpec<Sink> DEAD_LETTER_FILE = ComponentSpec.<Sink>deadLetter("file")
            .summary("Writes one NDJSON line per failed input: origin, url, stage, reason, status, attempts, error, value.")
            .fields(DEAD_PATH)
            .example("Errors next to the output", "file: { path: out/items.errors.ndjson }")
            .beta()
            .factory(c -> Outputs.deadLetters(Path.of(c.get(DEAD_PATH))));

    private SinkSpecs() {}

    private static Sink file(ParsedConfig c) {
        Path path = Path.of(c.get(PATH));
        return c.get(ATOMIC) ? Outputs.atomic(path, p -> file(c, p)) : file(c, path);
    }

    private static Sink file(ParsedConfig c, Path path) {
        return switch (c.get(FORMAT)) {
            case "json" -> Outputs.jsonArray(path);
            case "csv" -> c.find(COLUMNS).map(cols -> Outputs.csv(path, cols)).orElseGet(() -> Outputs.csv(path));
            default -> Outputs.ndjson(path);
        };
    }

    /**
     * Returns the specs of the sink package.
     *
     * @return the file, stdout and directory sinks and the file dead-letter sink
     */
    public static List<ComponentSpec<Sink>> all() {
        return List.of(FILE, STDOUT, DIRECTORY, DEAD_LETTER_FILE);
    }
}
