package dev.sluice.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** A {@code fetch} followed by {@code parse: json} in a file parses each body once, as the two steps would. */
class FetchParseJsonFileTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static PipelineDefinition file(String path) {
        return PipelineFiles.parse("""
                source: { url: '%s' }
                steps:
                  - fetch: {}
                  - parse: json
                  - map: '.name'
                sink: { stdout: {} }
                """.formatted(server.url(path)), "whole.yaml", "whole", Map.of(), List.of());
    }

    @Test
    void fetchAndWholeBodyJsonAreFusedIntoOneStage() {
        assertThat(file("/a").steps()).hasSize(2);
    }

    @Test
    void bodiesArriveParsedAndTheRunBalances() {
        server.respond("/doc", 200, "{\"name\": \"héllo\", \"n\": 1}");
        RunContext context = new RunContext();

        StepVerifier.create(file("/doc").pipeline().results(context).map(i -> i.value().asText()).collectList())
                .assertNext(names -> assertThat(names).containsExactly("héllo"))
                .verifyComplete();
        assertThat(context.tally().report(0))
                .extracting(r -> r.requests(), r -> r.expanded(), r -> r.filtered())
                .containsExactly(1L, 0L, 0L);
    }

    @Test
    void aMalformedBodyDeadLettersAtTheParseStageWithItsUrlLineAndColumn() {
        server.respond("/bad", 200, "{\n  \"a\": 1,\n  oops\n}");

        StepVerifier.create(file("/bad").pipeline().results().collectList())
                .assertNext(items -> assertThat(items).singleElement().satisfies(item -> {
                    assertThat(item.isFailure()).isTrue();
                    assertThat(item.failure().orElseThrow().stage()).isEqualTo("parse");
                    assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.PARSE);
                    assertThat(item.failure().orElseThrow().message())
                            .startsWith("invalid JSON in " + server.url("/bad") + " at line 3, column 3: ");
                    assertThat(item.value().asText()).isEqualTo("{\n  \"a\": 1,\n  oops\n}");
                }))
                .verifyComplete();
    }

    @Test
    void aFailedFetchIsNotParsed() {
        server.respond("/gone", 404, "{}");

        StepVerifier.create(file("/gone").pipeline().results().map(Item::failure).collectList())
                .assertNext(failures -> assertThat(failures).singleElement()
                        .satisfies(f -> assertThat(f.orElseThrow().stage()).isEqualTo("fetch")))
                .verifyComplete();
    }
}
