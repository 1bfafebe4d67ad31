package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int sluice(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String[] quickstart(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "run", "pipelines/quickstart.yaml",
                "--serve", "pipelines/quickstart/site",
                "--set", "sink.file.path=" + tmp.resolve("out.ndjson"),
                "--set", "dead_letter.file.path=" + tmp.resolve("errors.ndjson")));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalStateException(line, e);
            }
        }).toList();
    }

    @Test
    void quickstartRunsOverLoopbackHttpAndWritesOutputAndDeadLetters() throws IOException {
        int code = sluice(quickstart("--report", tmp.resolve("report.json").toString()));

        assertThat(code).as(err.toString()).isEqualTo(0);
        assertThat(err.toString()).contains(
                "quickstart: 12 inputs -> 6 outputs, 3 filtered, 3 dead-lettered (http_status=2, parse=1), 12 requests");
        assertThat(lines(tmp.resolve("out.ndjson")))
                .extracting(node -> node.get("id").asInt())
                .containsExactlyInAnyOrder(1, 3, 4, 6, 8, 10);
        assertThat(lines(tmp.resolve("out.ndjson")).get(0).fieldNames())
                .toIterable().containsExactly("id", "title", "author");
        assertThat(lines(tmp.resolve("errors.ndjson")))
                .extracting(node -> node.get("reason").asText() + " " + node.path("origin").path("line").asInt())
                .containsExactlyInAnyOrder("parse 7", "http_status 11", "http_status 12");
        JsonNode report = JSON.readTree(tmp.resolve("report.json").toFile());
        assertThat(report.get("inputs").asInt()).isEqualTo(12);
        assertThat(report.get("balanced").asBoolean()).isTrue();
    }

    @Test
    void strictExitsWithThreeWhenItemsWereDeadLettered() {
        assertThat(sluice(quickstart("--strict"))).isEqualTo(3);
    }

    @Test
    void limitStopsAfterNInputs() {
        int code = sluice(quickstart("--limit", "2"));

        assertThat(code).isEqualTo(0);
        assertThat(err.toString()).contains("quickstart: 2 inputs -> ");
    }

    @Test
    void invalidFileExitsWithTwoAndPrintsEveryProblem() throws IOException {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, "source: { urlz: x }\nsink: { file: {} }\n");

        int code = sluice("run", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":1:11: /source/urlz: unknown source 'urlz' (did you mean 'url'?)")
                .contains(file + ":2:15: /sink/file: missing required field 'path'");
    }

    @Test
    void sinkThatCannotWriteAbortsWithOne() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a-directory"));

        int code = sluice("run", "pipelines/quickstart.yaml", "--serve", "pipelines/quickstart/site",
                "--set", "sink.file.path=" + dir,
                "--set", "dead_letter.file.path=" + tmp.resolve("errors.ndjson"));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("aborted").contains(dir.toString());
    }

    @Test
    void validateReportsEachFile() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "source: { url: http://x/ }\n");

        int code = sluice("validate", "pipelines/quickstart.yaml", bad.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("pipelines/quickstart.yaml: ok")
                .contains(bad + ":1:1: /: missing required field 'sink'");
    }

    @Test
    void versionAndHelpWork() {
        assertThat(sluice("--version")).isEqualTo(0);
        assertThat(out.toString()).startsWith("sluice ");
        assertThat(sluice("run", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--limit");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(sluice("run", "pipelines/quickstart.yaml", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'");
    }
}
