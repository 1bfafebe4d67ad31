package dev.sluice.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.RunContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** A {@code fetch} followed by {@code parse: {split}} in a file streams the array and still balances. */
class StreamingSplitFileTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static PipelineDefinition file(String path) {
        return PipelineFiles.parse("""
                source: { url: '%s' }
                steps:
                  - fetch: {}
                  - parse: { format: json, split: /items }
                  - map: '.id'
                sink: { stdout: {} }
                """.formatted(server.url(path)), "split.yaml", "split", Map.of(), List.of());
    }

    @Test
    void fetchAndSplitAreFusedIntoOneStreamingStage() {
        assertThat(file("/a").steps()).hasSize(2);
    }

    @Test
    void elementsFlowAsItemsAndTheRunBalances() {
        server.respond("/list", 200, "{\"meta\":{},\"items\":[{\"id\":1},{\"id\":2},{\"id\":3}]}");
        RunContext context = new RunContext();

        StepVerifier.create(file("/list").pipeline().results(context).map(Item::value).map(v -> v.asInt()).collectList())
                .assertNext(ids -> assertThat(ids).containsExactly(1, 2, 3))
                .verifyComplete();
        assertThat(context.tally().report(0).expanded()).isEqualTo(2);
    }

    @Test
    void aMalformedElementDeadLettersTheRestWithItsPosition() {
        server.respond("/broken", 200, "{\"items\":[{\"id\":1},{\"id\":2},{\"id\" 3}]}");

        StepVerifier.create(file("/broken").pipeline().results().collectList())
                .assertNext(items -> {
                    assertThat(items).filteredOn(i -> !i.isFailure()).extracting(i -> i.value().asInt()).containsExactly(1, 2);
                    assertThat(items).filteredOn(Item::isFailure).singleElement()
                            .satisfies(i -> assertThat(i.failure().orElseThrow().message()).contains("line 1, column"));
                })
                .verifyComplete();
    }
}
