package dev.sluice.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** A {@code fetch} followed by {@code parse} of ndjson, csv or lines in a file reads the body while it streams. */
class StreamingRecordsFileTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static PipelineDefinition file(String path, String parse) {
        return PipelineFiles.parse("""
                source: { url: '%s' }
                steps:
                  - fetch: {}
                  - parse: %s
                sink: { stdout: {} }
                """.formatted(server.url(path), parse), "records.yaml", "records", Map.of(), List.of());
    }

    @Test
    void fetchAndALineBasedParseAreFused() {
        assertThat(file("/a", "ndjson").steps()).hasSize(1);
        assertThat(file("/a", "{ format: csv, max_line_length: 1000 }").steps()).hasSize(1);
        assertThat(file("/a", "lines").steps()).hasSize(1);
        assertThat(file("/a", "json").steps()).hasSize(1); // parsed from the whole body's bytes, not streamed
    }

    @Test
    void ndjsonLinesFlowAndABadLineDeadLettersAlone() {
        server.respond("/feed", 200, "{\"id\":1}\n{\"id\":2\n\n{\"id\":3}\n");

        StepVerifier.create(file("/feed", "ndjson").pipeline().results().collectList())
                .assertNext(items -> {
                    assertThat(items).filteredOn(i -> !i.isFailure()).extracting(i -> i.value().path("id").intValue())
                            .containsExactly(1, 3);
                    assertThat(items).filteredOn(Item::isFailure).singleElement().satisfies(i -> {
                        assertThat(i.failure().orElseThrow().reason()).isEqualTo(Reason.PARSE);
                        assertThat(i.failure().orElseThrow().message()).contains("at line 2, column");
                    });
                })
                .verifyComplete();
    }

    @Test
    void linesAndCsvRowsBecomeItems() {
        server.respond("/log", 200, "one\r\ntwo\r\n");
        server.respond("/rows", 200, "a;b\n1;x\n2;y\n");

        StepVerifier.create(file("/log", "lines").pipeline().results().map(i -> i.value().textValue()))
                .expectNext("one", "two")
                .verifyComplete();
        StepVerifier.create(file("/rows", "{ format: csv, delimiter: ';', typed_numbers: true }").pipeline().results()
                        .map(i -> i.value().path("a").intValue()))
                .expectNext(1, 2)
                .verifyComplete();
    }

    @Test
    void maxLineLengthAppliesToLineFormatsOnly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> file("/a", "{ format: json, max_line_length: 10 }"))
                .hasMessageContaining("max_line_length applies to formats ndjson, csv and lines, format is json");
    }
}
