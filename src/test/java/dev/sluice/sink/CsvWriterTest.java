package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Reason;
import dev.sluice.SinkException;
import dev.sluice.SinkReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class CsvWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void givenColumnsAreWrittenInOrderWithQuotingAndNestedValuesAsJson() throws IOException {
        Path file = dir.resolve("out.csv");
        Flux<Item> items = Flux.just(
                item("{\"id\": 1, \"name\": \"Ada, \\\"the\\\" first\", \"tags\": [\"a\"], \"extra\": true}"),
                item("{\"name\": \"two\\nlines\", \"id\": 2.5, \"tags\": null}"),
                failed());

        StepVerifier.create(Outputs.csv(file, List.of("id", "name", "tags", "missing")).write(items))
                .expectNext(new SinkReport(2))
                .verifyComplete();

        assertThat(Files.readString(file)).isEqualTo("id,name,tags,missing\n"
                + "1,\"Ada, \"\"the\"\" first\",\"[\"\"a\"\"]\",\n"
                + "2.5,\"two\nlines\",,\n");
    }

    @Test
    void columnsComeFromTheFirstItemWhenNotGiven() throws IOException {
        Path file = dir.resolve("out.csv");
        Flux<Item> items = Flux.just(item("{\"b\": 1, \"a\": \"x\"}"), item("{\"a\": \"y\", \"c\": 3}"));

        StepVerifier.create(Outputs.csv(file).write(items))
                .expectNext(new SinkReport(2))
                .verifyComplete();

        assertThat(Files.readString(file)).isEqualTo("b,a\n1,x\n,y\n");
    }

    @Test
    void emptyRunLeavesTheHeaderOrAnEmptyFile() {
        Path withColumns = dir.resolve("with.csv");
        Path without = dir.resolve("without.csv");

        StepVerifier.create(Outputs.csv(withColumns, List.of("id", "name")).write(Flux.empty()))
                .expectNext(new SinkReport(0))
                .verifyComplete();
        StepVerifier.create(Outputs.csv(without).write(Flux.empty()))
                .expectNext(new SinkReport(0))
                .verifyComplete();

        assertThat(withColumns).hasContent("id,name\n");
        assertThat(without).isEmptyFile();
    }

    @Test
    void itemThatIsNotAnObjectAbortsTheRunNamingIt() {
        Flux<Item> items = Flux.just(item("{\"id\": 1}"), Item.of(MAPPER.getNodeFactory().textNode("x"),
                Origin.of("urls.txt", 3)));

        StepVerifier.create(Outputs.csv(dir.resolve("out.csv")).write(items))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessage("cannot write " + dir.resolve("out.csv") + ": item urls.txt:3 is a string, not an"
                                + " object; a CSV row needs an object (map it first)"));
    }

    private static Item failed() {
        return item("{\"id\": 9}").fail("fetch", Reason.HTTP_STATUS, "404", 404, 1, "http://h/9");
    }

    private static Item item(String json) {
        try {
            JsonNode value = MAPPER.readTree(json);
            return Item.of(value, Origin.of("inline", 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
