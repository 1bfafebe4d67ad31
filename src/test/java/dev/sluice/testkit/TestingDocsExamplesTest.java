package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.fetch.Fetch;
import dev.sluice.fetch.RetryOptions;
import dev.sluice.parse.Parse;
import dev.sluice.source.Inputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Compiles and runs every Java snippet of {@code docs/testing.md}, and checks that the page shows them verbatim. */
class TestingDocsExamplesTest {

    @RegisterExtension
    static final StubServer stub = StubServer.start();

    @Test
    void everyJavaSnippetOfThePageIsInThisTest() throws IOException {
        String page = Files.readString(Path.of("docs/testing.md"), StandardCharsets.UTF_8);
        String self = normalized(Files.readString(
                Path.of("src/test/java/dev/sluice/testkit/TestingDocsExamplesTest.java"), StandardCharsets.UTF_8));
        List<String> snippets = new ArrayList<>();
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(page);
        while (m.find()) {
            snippets.add(m.group(1));
        }

        assertThat(snippets).hasSizeGreaterThanOrEqualTo(7);
        assertThat(snippets).allSatisfy(snippet -> assertThat(self).contains(normalized(snippet)));
    }

    private static String normalized(String code) {
        return code.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }

    @Test
    void embeddedPipeline() {
        stub.on("/items/1.json").json("{\"id\":1,\"score\":72}");
        stub.on("/items/2.json").respond(404);
        Pipeline pipeline = Pipeline.from(Inputs.urls(List.of(stub.url("/items/1.json"), stub.url("/items/2.json"))))
                .then(Fetch.get())
                .then(Parse.json());
        PipelineTester tester = PipelineTester.of(pipeline);

        StepVerifier.create(tester.items())
                .assertNext(item -> assertThat(item.value().path("id").asInt()).isEqualTo(1))
                .verifyComplete();
        StepVerifier.create(tester.failures())
                .assertNext(item -> assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.HTTP_STATUS))
                .verifyComplete();
        StepVerifier.create(tester.report())
                .assertNext(report -> assertThat(report.isBalanced()).isTrue())
                .verifyComplete();
    }

    @Test
    void repliesSequencesAndFaults() {
        stub.on("/flaky").respond(503, 503, 200);
        stub.on("/limited").respond(
                Reply.status(429).retryAfter(Duration.ofSeconds(2)),
                Reply.json("{\"ok\":true}"));
        stub.on("/page/1").respond(Reply.json("[1,2]").link(stub.url("/page/2"), "next"));
        stub.on("/zipped").respond(Reply.json("{\"big\":true}").gzip());
        stub.on("/slow").respond(Reply.json("{}").delayed(Duration.ofSeconds(1)));
        stub.on("/drip").respond(Reply.text("abc").trickled(Duration.ofMillis(100)));
        stub.on("/reset").respond(Reply.reset());
        stub.on("/cut").respond(Reply.resetMidBody());
        stub.on("/hang").respond(Reply.stall());
        stub.on("/huge").respond(Reply.huge(50_000_000));
        stub.on("api.example.com", "/v1/items").json("[]");

        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void requestLog() {
        List<String> urls = Collections.nCopies(8, stub.url("/slow"));
        stub.on("/slow").respond(Reply.json("{}").delayed(Duration.ofMillis(50)));

        StepVerifier.create(PipelineTester.of(Pipeline.from(Inputs.urls(urls)).then(Fetch.get().concurrency(2))).items())
                .expectNextCount(8)
                .verifyComplete();
        assertThat(stub.maxConcurrency()).isLessThanOrEqualTo(2);
        assertThat(stub.requests("/slow")).hasSize(8);
    }

    @Test
    void virtualTime() {
        Stage slow = items -> items.delayElements(Duration.ofMinutes(1));
        Pipeline pipeline = Pipeline.from(Inputs.urls(List.of("a", "b"))).then(slow);

        StepVerifier.withVirtualTime(() -> PipelineTester.of(pipeline).items())
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(59))
                .thenAwait(Duration.ofMinutes(2))
                .expectNextCount(2)
                .verifyComplete();
    }

    @Test
    void wholePipelineInVirtualTime() {
        stub.on("/flaky").respond(Reply.status(503), Reply.status(503), Reply.status(503),
                Reply.status(429).retryAfter(Duration.ofSeconds(60)), Reply.json("{\"ok\":true}"));
        RetryOptions retry = RetryOptions.DEFAULTS.withAttempts(5)
                .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).withJitter(false);
        Pipeline pipeline = Pipeline.from(Inputs.url("https://api.example.com/flaky")).then(Fetch.get().retry(retry));
        PipelineTester tester = PipelineTester.of(pipeline).mapAllHosts(stub).inMemory();

        StepVerifier.withVirtualTime(tester::items)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(89))
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(1)
                .verifyComplete();
        assertThat(stub.requests()).extracting(StubRequest::arrival).containsExactly(Duration.ZERO,
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(90));
    }

    @Test
    void pipelineFileInVirtualTime() {
        stub.on("/items/1.json").respond(Reply.json("{}").delayed(Duration.ofMinutes(1)));
        PipelineTester tester = PipelineTester.load(Path.of("pipelines/quickstart.yaml"),
                Map.of("SLUICE_SERVE_URL", "https://api.example.com"), List.of("source.range.to=1", "steps.0.fetch.retry.attempts=1"))
                .mapAllHosts(stub)
                .inMemory();

        StepVerifier.withVirtualTime(tester::failures)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(5).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(item -> assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.TIMEOUT))
                .verifyComplete();
    }

    @Test
    void pipelineFileFromJava() {
        stub.on("/items/1.json").json("{\"id\":1,\"title\":\"t\",\"author\":{\"name\":\"ada\"},\"score\":72}");
        PipelineTester tester = PipelineTester.load(Path.of("pipelines/quickstart.yaml"),
                Map.of("SLUICE_SERVE_URL", stub.baseUrl()), List.of("source.range.to=1"));

        StepVerifier.create(tester.items())
                .assertNext(item -> assertThat(item.value().toString()).isEqualTo("{\"id\":1,\"title\":\"t\",\"author\":\"ada\"}"))
                .verifyComplete();
    }

    @TestFactory
    Stream<DynamicNode> everyPipelineTestPasses() {
        return PipelineTests.find(Path.of("pipelines")).stream().map(file -> DynamicContainer.dynamicContainer(
                file.getFileName().toString(),
                PipelineTests.load(file).cases().stream().map(c -> DynamicTest.dynamicTest(c.name(),
                        () -> StepVerifier.create(c.run(stub))
                                .assertNext(result -> assertThat(result.passed()).as(result.describe()).isTrue())
                                .verifyComplete()))));
    }

    @Test
    void recordAndReplay(@TempDir Path recordings) {
        stub.on("/items/1.json").json("{\"id\":1}");
        Pipeline pipeline = Pipeline.from(Inputs.url(stub.url("/items/1.json"))).then(Fetch.get()).then(Parse.json());
        try (Recorder recorder = Recorder.start(recordings)) {
            StepVerifier.create(pipeline.results(new RunContext().rewriteUrls(recorder.rewrite()))).expectNextCount(1).verifyComplete();
        }
        try (ReplayServer replay = ReplayServer.load(recordings)) {
            StepVerifier.create(pipeline.results(new RunContext().rewriteUrls(replay.rewrite()))).expectNextCount(1).verifyComplete();
        }
    }
}
