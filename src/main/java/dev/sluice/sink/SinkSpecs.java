package dev.sluice.sink;

import dev.sluice.Sink;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import java.nio.file.Path;
import java.util.List;

/** The specs of the built-in sinks and dead-letter sinks: fields declared once, and factories. */
public final class SinkSpecs {

    static final Field<String> PATH = Field.string("path").required()
            .describe("The file to write, relative to the working directory; parent directories are created and an existing file is replaced.");
    static final Field<String> FORMAT = Field.oneOf("format", "ndjson").defaultsTo("ndjson")
            .describe("ndjson: one JSON value per line.");

    static final ComponentSpec<Sink> FILE = ComponentSpec.<Sink>sink("file")
            .summary("Writes good items to a file, off the event loop; flushed and closed on completion, error and cancellation.")
            .fields(PATH, FORMAT)
            .example("NDJSON file", "file: { path: out/items.ndjson }")
            .beta()
            .factory(c -> Outputs.ndjson(Path.of(c.get(PATH))));

    static final ComponentSpec<Sink> STDOUT = ComponentSpec.<Sink>sink("stdout")
            .summary("Writes good items to standard output as NDJSON.")
            .example("Pipe into jq", "stdout: {}")
            .beta()
            .factory(c -> Outputs.stdout());

    static final ComponentSpec<Sink> DEAD_LETTER_FILE = ComponentSpec.<Sink>deadLetter("file")
            .summary("Writes one NDJSON line per failed input: origin, url, stage, reason, status, attempts, error, value.")
            .fields(PATH)
            .example("Errors next to the output", "file: { path: out/items.errors.ndjson }")
            .beta()
            .factory(c -> Outputs.deadLetters(Path.of(c.get(PATH))));

    private SinkSpecs() {}

    /**
     * Returns the specs of the sink package.
     *
     * @return the file and stdout sinks and the file dead-letter sink
     */
    public static List<ComponentSpec<Sink>> all() {
        return List.of(FILE, STDOUT, DEAD_LETTER_FILE);
    }
}
