package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every shipped example pipeline offline: {@code --serve pipelines/<name>/site} answers its
 * recorded responses through the real HTTP client. Each run must complete, balance, and give the
 * known answer of its sample data.
 */
class ExamplePipelinesTest {

    /** name -> {outputs, filtered, dead-lettered} of the sample data. */
    private static final Map<String, long[]> KNOWN = Map.of(
            "quickstart", new long[] {6, 3, 3},
            "orders-export", new long[] {24, 16, 1},
            "orders-bulk", new long[] {3, 16, 1},
            "hn-top-stories", new long[] {25, 5, 0},
            "github-issues", new long[] {10, 3, 0},
            "weather-cities", new long[] {4, 0, 2},
            "catalogue", new long[] {12, 0, 0});

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyExampleRunsOfflineAndGivesItsKnownAnswer() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().endsWith(".test.yaml"))
                    .sorted()
                    .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runsOffline(f)))
                    .toList().stream();
        }
    }

    @Test
    void everyExampleHasSampleDataAndAKnownAnswer() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().endsWith(".test.yaml"))
                    .map(f -> f.getFileName().toString().replace(".yaml", "")))
                    .hasSizeGreaterThanOrEqualTo(6)
                    .allSatisfy(name -> {
                        assertThat(KNOWN).containsKey(name);
                        assertThat(Path.of("pipelines", name, "site")).isDirectory();
                    });
        }
    }

    private void runsOffline(Path file) throws IOException {
        String name = file.getFileName().toString().replace(".yaml", "");
        Path report = tmp.resolve(name + ".report.json");
        StringWriter err = new StringWriter();

        int code = Main.execute(new String[] {"run", file.toString(), "--no-progress",
            "--serve", "pipelines/" + name + "/site",
            "--set", "sink.file.path=" + tmp.resolve(name + ".out"),
            "--set", "dead_letter.file.path=" + tmp.resolve(name + ".errors.ndjson"),
            "--report", report.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        long[] known = KNOWN.get(name);
        assertThat(new long[] {r.get("outputs").asLong(), r.get("filtered").asLong(), r.get("dead_lettered").asLong()})
                .as(name + " outputs, filtered, dead-lettered").containsExactly(known);
        assertThat(r.get("balanced").asBoolean()).isTrue();
        assertThat(Files.size(tmp.resolve(name + ".out"))).isPositive();
    }
}
