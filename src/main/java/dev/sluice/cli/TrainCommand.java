package dev.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sluice cds-training} (hidden): one representative run for the launcher's class-data
 * sharing archive.
 *
 * <p>{@code bin/sluice} runs this once per build under {@code -XX:ArchiveClassesAtExit}, so the
 * archive holds the classes a real run loads. It serves a generated site on 127.0.0.1, runs a
 * pipeline over it through {@code sluice run} (index fetch, explode, templated fan-out fetch, JSON
 * parse, jq filter and map, file sink, and a 404 and a malformed body for the dead-letter path),
 * prints one line and deletes what it wrote. Recording whatever command happened to run first
 * instead (say {@code --version}) left the pipeline classes out of the archive and cost a second of
 * start-up on every later run.
 */
@Command(name = "cds-training", hidden = true,
        description = "Run a representative pipeline offline (bin/sluice records its class-data archive from it).")
final class TrainCommand implements Callable<Integer> {

    /** Items in the generated site: enough for a full pool of concurrent fetches. */
    static final int ITEMS = 64;
    /** The id in the index with no item behind it (a 404). */
    static final int MISSING = ITEMS + 1;
    /** The item whose body is not JSON. */
    static final int MALFORMED = 7;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("sluice-cds-training");
        try {
            Path pipeline = writeSite(dir);
            StringWriter runOutput = new StringWriter();
            PrintWriter sink = new PrintWriter(runOutput);
            int code = Main.execute(new String[] {"run", pipeline.toString(), "--serve", dir.resolve("site").toString(),
                "--no-progress"}, sink, sink);
            sink.flush();
            long written = lines(dir.resolve("out.ndjson"));
            long deadLettered = lines(dir.resolve("errors.ndjson"));
            spec.commandLine().getOut().println("cds-training: exit " + code + ", " + written + " outputs, "
                    + deadLettered + " dead-lettered");
            if (code != Main.OK) {
                spec.commandLine().getErr().print(runOutput);
            }
            return code;
        } finally {
            delete(dir);
        }
    }

    /** Writes the site and the pipeline into {@code dir}; returns the pipeline file. */
    static Path writeSite(Path dir) throws IOException {
        Path items = Files.createDirectories(dir.resolve("site/items"));
        String index = IntStream.rangeClosed(1, MISSING).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]"));
        Files.writeString(dir.resolve("site/index.json"), index);
        for (int i = 1; i <= ITEMS; i++) {
            String body = i == MALFORMED ? "{\"id\": " + i + ", \"title\": " : item(i);
            Files.writeString(items.resolve(i + ".json"), body, StandardCharsets.UTF_8);
        }
        Path pipeline = dir.resolve("training.yaml");
        Files.writeString(pipeline, String.join("\n",
                "name: cds-training",
                "source:",
                "  url: ${SLUICE_SERVE_URL}/index.json",
                "steps:",
                "  - fetch: { timeout: 10s }",
                "  - parse: json",
                "  - explode: '.[]'",
                "  - fetch: { url: '\"${SLUICE_SERVE_URL}/items/\\(.).json\"', concurrency: 16, per_host: 16, timeout: 10s }",
                "  - parse: json",
                "  - filter: '.score >= 50'",
                "  - map: '{id, title, author: .author.name, tags: [.tags[] | ascii_upcase]}'",
                "sink:",
                "  file: { path: '" + dir.resolve("out.ndjson") + "' }",
                "dead_letter:",
                "  file: { path: '" + dir.resolve("errors.ndjson") + "' }",
                ""));
        return pipeline;
    }

    private static String item(int i) {
        return "{\"id\": " + i + ", \"title\": \"Item " + i + "\", \"tags\": [\"a\", \"b\"], "
                + "\"author\": {\"name\": \"author " + (i % 5) + "\", \"email\": \"a" + i + "@example.com\"}, "
                + "\"score\": " + (i * 37 % 100) + ", \"url\": \"https://example.com/" + i + "\"}";
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
