package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.fetch.Fetch;
import dev.sluice.parse.Parse;
import dev.sluice.source.Inputs;
import dev.sluice.transform.Jq;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

class PipelineTesterTest {

    @RegisterExtension
    static final StubServer stub = StubServer.start();

    private static final Path ITEMS = Path.of("src/test/resources/testkit/items.yaml");

    private static void stubItems() {
        stub.on("/items/1.json").json("{\"id\":1,\"name\":\"one\",\"extra\":true}");
        stub.on("/items/2.json").respond(404);
        stub.on("/items/3.json").json("{\"id\":3,\"name\":\"three\"}");
    }

    private static Pipeline javaPipeline(String... paths) {
        List<String> urls = java.util.Arrays.stream(paths).map(stub::url).toList();
        return Pipeline.from(Inputs.urls(urls)).then(Fetch.get().concurrency(1)).then(Parse.json()).then(Jq.map("{id, name}"));
    }

    @Test
    void itemsOfAJavaPipelineAreGoodItemsOnly() {
        stubItems();

        StepVerifier.create(PipelineTester.of(javaPipeline("/items/1.json", "/items/2.json", "/items/3.json")).items())
                .assertNext(item -> assertThat(item.value().toString()).isEqualTo("{\"id\":1,\"name\":\"one\"}"))
                .assertNext(item -> assertThat(item.value().path("id").asInt()).isEqualTo(3))
                .verifyComplete();
    }

    @Test
    void failuresAreTheDeadLettersWithTheirReason() {
        stubItems();

        StepVerifier.create(PipelineTester.of(javaPipeline("/items/1.json", "/items/2.json")).failures())
                .assertNext(item -> {
                    assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(item.failure().orElseThrow().status()).isEqualTo(404);
                })
                .verifyComplete();
    }

    @Test
    void theReportBalancesAndCountsRequests() {
        stubItems();

        StepVerifier.create(PipelineTester.of(javaPipeline("/items/1.json", "/items/2.json", "/items/3.json")).report())
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(3);
                    assertThat(report.outputs()).isEqualTo(2);
                    assertThat(report.deadLetterReasons()).containsExactly(Map.entry("http_status", 1L));
                    assertThat(report.requests()).isEqualTo(3);
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void aPipelineFileRunsWithoutWritingItsSink() {
        stubItems();
        PipelineTester tester = PipelineTester.load(ITEMS, Map.of("SLUICE_SERVE_URL", stub.baseUrl()), List.of());

        StepVerifier.create(tester.run())
                .assertNext(run -> {
                    assertThat(run.items()).extracting(item -> item.value().path("name").asText())
                            .containsExactlyInAnyOrder("one", "three");
                    assertThat(run.deadLetters()).extracting(f -> f.reason()).containsExactly(Reason.HTTP_STATUS);
                })
                .verifyComplete();
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void overridesApplyToTheLoadedFile() {
        stubItems();
        PipelineTester tester = PipelineTester.load(ITEMS, Map.of("SLUICE_SERVE_URL", stub.baseUrl()), List.of("source.range.to=1"));

        StepVerifier.create(tester.items()).expectNextCount(1).verifyComplete();
        assertThat(stub.paths()).containsExactly("/items/1.json");
    }

    @Test
    void mappedHostsAreRewrittenToTheStubAndOthersAreLeftAlone() {
        PipelineTester tester = PipelineTester.of(javaPipeline()).mapHost("API.example.com", stub);

        URI mapped = tester.rewrite().apply(URI.create("https://api.example.com:8443/v1/items?page=2"));
        URI other = tester.rewrite().apply(URI.create("http://other.example.com/x"));

        assertThat(mapped).isEqualTo(URI.create(stub.baseUrl() + "/v1/items?page=2"));
        assertThat(other).isEqualTo(URI.create("http://other.example.com/x"));
        assertThat(tester.mapAllHosts(stub).rewrite().apply(other)).isEqualTo(URI.create(stub.url("/x")));
    }

    @Test
    void eachRunsContextCarriesTheHostMapping() {
        stub.on("/a.json").json("{\"id\":\"a\"}");
        Pipeline pipeline = Pipeline.from(Inputs.url("http://api.example.com/a.json"))
                .then(rewriteItemUrls())
                .then(Fetch.get())
                .then(Parse.json());

        StepVerifier.create(PipelineTester.of(pipeline).mapHost("api.example.com", stub).items())
                .assertNext(item -> assertThat(item.value().path("id").asText()).isEqualTo("a"))
                .verifyComplete();
    }

    @Test
    void aFileWithRealHostsIsServedByTheStubThroughHostMapping() {
        stub.on("shop.invalid", "/items/1.json").json("{\"id\":1,\"name\":\"one\"}");
        stub.on("shop.invalid", "/items/2.json").json("{\"id\":2,\"name\":\"two\"}");
        stub.on("shop.invalid", "/items/3.json").json("{\"id\":3,\"name\":\"three\"}");

        StepVerifier.create(PipelineTester.load(ITEMS).mapHost("shop.invalid", stub).items())
                .expectNextCount(3)
                .verifyComplete();
        assertThat(stub.requests()).allSatisfy(r -> assertThat(r.host()).startsWith("shop.invalid"));
    }

    @Test
    void timersOfAPipelineWithoutIoRunInVirtualTime() {
        Stage slow = items -> items.delayElements(Duration.ofMinutes(1));
        Pipeline pipeline = Pipeline.from(Inputs.urls(List.of("a", "b", "c"))).then(slow);

        StepVerifier.withVirtualTime(() -> PipelineTester.of(pipeline).items())
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(59))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(item -> assertThat(item.value().asText()).isEqualTo("a"))
                .thenAwait(Duration.ofMinutes(2))
                .expectNextCount(2)
                .verifyComplete();
    }

    /** Stands in for fetch applying the rewrite itself: rewrites each item's URL through the run's context. */
    private static Stage rewriteItemUrls() {
        return items -> RunContext.use(run -> items.map(item -> rewritten(run, item)));
    }

    private static Item rewritten(RunContext run, Item item) {
        return item.withValue(TextNode.valueOf(run.rewrite(URI.create(item.value().asText())).toString()));
    }
}
