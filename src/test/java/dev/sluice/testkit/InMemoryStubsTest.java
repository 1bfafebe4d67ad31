package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.fetch.Fetch;
import dev.sluice.fetch.RateLimit;
import dev.sluice.fetch.RetryOptions;
import dev.sluice.parse.Parse;
import dev.sluice.source.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Whole pipelines answered in memory by the stubs' routes, on virtual time. */
class InMemoryStubsTest {

    @RegisterExtension
    static final StubServer stub = StubServer.start();

    private static final String HUNDRED = """
            name: hundred
            source:
              range: { template: 'https://api.example.com/items/{n}.json', from: 0, to: 99 }
            steps:
              - fetch:
                  concurrency: 1
                  rate: 1/min
                  retry: { attempts: 4, backoff: 10s, max_retry_after: 10m }
              - parse: json
            sink: { stdout: {} }
            """;

    @Test
    void hundredItemsWithRetriesRetryAfterAndOneRequestPerMinuteFollowTheExactScheduleInUnderASecond(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("hundred.yaml"), HUNDRED);
        warmUp(file);
        for (int n = 0; n < 100; n++) {
            stub.on("/items/" + n + ".json").json("{\"n\":" + n + "}");
        }
        stub.on("/items/7.json").respond(Reply.status(503), Reply.status(503), Reply.json("{\"n\":7}"));
        stub.on("/items/42.json").respond(Reply.status(429).retryAfter(Duration.ofMinutes(5)), Reply.json("{\"n\":42}"));
        stub.on("/items/99.json").respond(503);
        PipelineTester tester = PipelineTester.load(file).mapAllHosts(stub).inMemory();

        long start = System.nanoTime();
        StepVerifier.withVirtualTime(tester::run)
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(109))
                .assertNext(run -> {
                    assertThat(run.items()).hasSize(99);
                    assertThat(run.deadLetters()).extracting(Failure::reason, Failure::attempts)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple(Reason.HTTP_STATUS, 4));
                    assertThat(run.report().requests()).isEqualTo(106);
                    assertThat(run.report().retries()).isEqualTo(6);
                    assertThat(run.report().elapsedMillis()).isEqualTo(Duration.ofMinutes(109).toMillis());
                })
                .verifyComplete();
        long wall = System.nanoTime() - start;

        assertThat(schedule(stub.requests())).containsExactlyElementsOf(hundredItemSchedule());
        assertThat(Duration.ofNanos(wall)).isLessThan(Duration.ofSeconds(1));
    }

    /** One request a minute; item 7 twice more, item 99 three more; item 42's 429 pauses the host 5 minutes. */
    private static List<String> hundredItemSchedule() {
        List<String> expected = new ArrayList<>();
        Duration at = Duration.ZERO;
        for (int n = 0; n < 100; n++) {
            int attempts = n == 7 ? 3 : n == 42 ? 2 : n == 99 ? 4 : 1;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                expected.add("/items/" + n + ".json at " + at);
                at = at.plus(n == 42 && attempt == 1 ? Duration.ofMinutes(5) : Duration.ofMinutes(1));
            }
        }
        return expected;
    }

    /** Loads the classes a first run needs, so that the measured run shows the cost of the run itself. */
    private static void warmUp(Path file) {
        stub.on("/items/0.json").json("{}");
        StepVerifier.withVirtualTime(() -> PipelineTester.load(file, Map.of(), List.of("source.range.to=0"))
                        .mapAllHosts(stub).inMemory().items())
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(1))
                .expectNextCount(1)
                .verifyComplete();
        stub.reset();
    }

    @Test
    void threeRetriesTenSecondsApartThenASixtySecondRetryAfterTakeNinetySeconds() {
        stub.on("/flaky").respond(Reply.status(503), Reply.status(503), Reply.status(503),
                Reply.status(429).retryAfter(Duration.ofSeconds(60)), Reply.json("{\"ok\":true}"));
        RetryOptions retry = RetryOptions.DEFAULTS.withAttempts(5)
                .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).withJitter(false);
        Pipeline pipeline = Pipeline.from(Inputs.url("https://api.example.com/flaky"))
                .then(Fetch.get().retry(retry))
                .then(Parse.json());
        PipelineTester tester = PipelineTester.of(pipeline).mapAllHosts(stub).inMemory();

        StepVerifier.withVirtualTime(tester::items)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(90).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(item -> {
                    assertThat(item.value().path("ok").asBoolean()).isTrue();
                    assertThat(item.metadata().attempts()).isEqualTo(5);
                    assertThat(item.metadata().elapsed()).isEqualTo(Duration.ofSeconds(90));
                })
                .verifyComplete();

        assertThat(schedule(stub.requests())).containsExactly(
                "/flaky at PT0S", "/flaky at PT10S", "/flaky at PT20S", "/flaky at PT30S", "/flaky at PT1M30S");
    }

    @Test
    void aReplyDelayedPastTheDeadlineTimesOutExactlyAtTheDeadline() {
        stub.on("/slow").respond(Reply.json("{}").delayed(Duration.ofMinutes(1)));
        Pipeline pipeline = Pipeline.from(Inputs.url("https://api.example.com/slow"))
                .then(Fetch.get().timeout(Duration.ofSeconds(10)).retry(RetryOptions.NONE));

        StepVerifier.withVirtualTime(() -> PipelineTester.of(pipeline).mapAllHosts(stub).inMemory().failures())
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(10).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(failure.message()).isEqualTo(
                            "GET https://api.example.com/slow failed: timed out (no complete response within 10s)");
                })
                .verifyComplete();
    }

    @Test
    void resetsStallsAndUnmappedHostsFailAsTheyDoOverTheSocket() {
        stub.on("/reset").respond(Reply.reset());
        stub.on("/cut").respond(Reply.resetMidBody());
        stub.on("/hang").respond(Reply.stall());
        Pipeline pipeline = Pipeline.from(Inputs.urls(List.of("https://api.example.com/reset",
                        "https://api.example.com/cut", "https://api.example.com/hang", "https://elsewhere.example/x")))
                .then(Fetch.get().timeout(Duration.ofSeconds(5)).retry(RetryOptions.NONE));
        PipelineTester tester = PipelineTester.of(pipeline).mapHost("api.example.com", stub).inMemory();

        StepVerifier.withVirtualTime(tester::failures)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(5))
                .recordWith(ArrayList::new)
                .expectNextCount(4)
                .consumeRecordedWith(items -> assertThat(items.stream().map(InMemoryStubsTest::described))
                        .containsExactlyInAnyOrder(
                                "reset: GET https://api.example.com/reset failed: connection closed early"
                                        + " (Connection closed BEFORE response (in memory))",
                                "reset: GET https://api.example.com/cut failed: connection closed early"
                                        + " (Connection closed DURING response (in memory))",
                                "timeout: GET https://api.example.com/hang failed: timed out"
                                        + " (no complete response within 5s)",
                                "connect: GET https://elsewhere.example/x failed: connection refused (Connection refused in"
                                        + " memory: no stub is mapped to host elsewhere.example (PipelineTester.mapHost"
                                        + " or mapAllHosts))"))
                .verifyComplete();
        assertThat(stub.paths()).containsExactlyInAnyOrder("/reset", "/cut", "/hang");
    }

    @Test
    void hostRoutesHeadersGzipAndRateLimitsWorkInMemory() {
        stub.on("api.example.com", "/a").respond(Reply.json("{\"zipped\":true}").gzip().header("etag", "v1"));
        stub.on("/b").respond(Reply.json("{\"any\":true}"));
        Pipeline pipeline = Pipeline.from(Inputs.urls(List.of("https://api.example.com/a", "https://api.example.com/b?q=1")))
                .then(Fetch.get().concurrency(1).header("x-key", "k1").rate(RateLimit.parse("1/s")))
                .then(Parse.json());

        StepVerifier.withVirtualTime(() -> PipelineTester.of(pipeline).mapAllHosts(stub).inMemory().items())
                .expectSubscription()
                .assertNext(item -> {
                    assertThat(item.value().toString()).isEqualTo("{\"zipped\":true}");
                    assertThat(item.metadata().headers()).containsEntry("etag", "v1").doesNotContainKey("content-encoding");
                })
                .expectNoEvent(Duration.ofSeconds(1).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(item -> assertThat(item.value().toString()).isEqualTo("{\"any\":true}"))
                .verifyComplete();

        assertThat(schedule(stub.requests())).containsExactly("/a at PT0S", "/b?q=1 at PT1S");
        assertThat(stub.requests()).allSatisfy(r -> {
            assertThat(r.host()).isEqualTo("api.example.com");
            assertThat(r.header("x-key")).isEqualTo("k1");
            assertThat(r.method()).isEqualTo("GET");
        });
    }

    @Test
    void aFetchThatStreamsIntoASplitRefusesToRunInMemory(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("split.yaml"), """
                name: split
                source: { url: 'https://api.example.com/all.json' }
                steps:
                  - fetch: {}
                  - parse: { split: /items }
                sink: { stdout: {} }
                """);
        PipelineTester tester = PipelineTester.load(file).mapAllHosts(stub).inMemory();

        StepVerifier.withVirtualTime(tester::items)
                .expectSubscription()
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("parsed while it streams")
                        .hasMessageContaining("cannot run on in-memory HTTP"))
                .verify(Duration.ofSeconds(5));
        assertThat(stub.requests()).isEmpty();
    }

    private static List<String> schedule(List<StubRequest> requests) {
        return requests.stream().map(r -> r.path() + " at " + r.arrival()).collect(Collectors.toList());
    }

    private static String described(Item item) {
        Failure failure = item.failure().orElseThrow();
        return failure.reason().code() + ": " + failure.message();
    }
}
