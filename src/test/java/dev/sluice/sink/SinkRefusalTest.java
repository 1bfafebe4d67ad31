package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Pipeline;
import dev.sluice.RunReport;
import dev.sluice.Sink;
import dev.sluice.source.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** A good item a sink cannot write is one dead letter with reason {@code sink}; the run goes on. */
class SinkRefusalTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private RunReport run(String ndjson, Sink sink) throws IOException {
        Path in = Files.writeString(dir.resolve("in.ndjson"), ndjson);
        RunReport[] report = new RunReport[1];
        StepVerifier.create(Pipeline.from(Inputs.ndjson(in)).to(sink).deadLetterTo(Outputs.deadLetters(dir.resolve("dead.ndjson"))).run())
                .assertNext(r -> report[0] = r)
                .expectComplete()
                .verify(WAIT);
        assertThat(report[0].isBalanced()).isTrue();
        return report[0];
    }

    private List<JsonNode> deadLetters() throws IOException {
        return Files.readAllLines(dir.resolve("dead.ndjson")).stream().map(line -> {
            try {
                return MAPPER.readTree(line);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void aCsvSinkDeadLettersAnItemThatIsNotAnObjectAndWritesTheRest() throws IOException {
        Path csv = dir.resolve("rows.csv");

        RunReport report = run("{\"id\":1}\n{\"id\":2}\n42\n{\"id\":3}\n", Outputs.csv(csv));

        assertThat(report.outputs()).isEqualTo(3);
        assertThat(report.deadLettered()).isEqualTo(1);
        assertThat(report.deadLetterReasons()).isEqualTo(Map.of("sink", 1L));
        assertThat(Files.readString(csv)).isEqualTo("id\n1\n2\n3\n");
        assertThat(deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.path("origin").path("line").asInt()).isEqualTo(3);
            assertThat(dead.path("stage").asText()).isEqualTo("sink");
            assertThat(dead.path("reason").asText()).isEqualTo("sink");
            assertThat(dead.path("error").asText()).isEqualTo("cannot write " + csv + ": item " + dir.resolve("in.ndjson")
                    + ":3 is a number, not an object; a CSV row needs an object (map it first)");
            assertThat(dead.path("value").asInt()).isEqualTo(42);
        });
    }

    @Test
    void anAtomicCsvSinkRefusesInItsTargetsName() throws IOException {
        Path csv = dir.resolve("rows.csv");

        RunReport report = run("\"text\"\n{\"id\":1}\n", Outputs.atomic(csv, Outputs::csv));

        assertThat(report.outputs()).isEqualTo(1);
        assertThat(Files.readString(csv)).isEqualTo("id\n1\n");
        assertThat(deadLetters()).singleElement()
                .satisfies(dead -> assertThat(dead.path("error").asText()).startsWith("cannot write " + csv + ": item "));
    }

    @Test
    void aDirectorySinkDeadLettersNamesWithoutAValueOrOutsideItsDirectory() throws IOException {
        Path out = dir.resolve("out");

        RunReport report = run("{\"id\":1}\n{\"id\":null}\n{\"id\":\"../escape\"}\n{\"x\":2}\n{\"id\":5}\n",
                Outputs.directory(out, "{id}.json"));

        assertThat(report.outputs()).isEqualTo(2);
        assertThat(report.deadLetterReasons()).isEqualTo(Map.of("sink", 3L));
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly("1.json", "5.json");
        }
        assertThat(Files.exists(dir.resolve("escape.json"))).isFalse();
        assertThat(deadLetters()).extracting(dead -> dead.path("origin").path("line").asInt()).containsExactly(2, 3, 4);
        assertThat(deadLetters()).extracting(dead -> dead.path("error").asText()).satisfiesExactly(
                e -> assertThat(e).contains("has null at {id}"),
                e -> assertThat(e).contains("is outside the directory"),
                e -> assertThat(e).contains("has no value at {id}"));
    }
}
