package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.LocalHttpServer.Delayed;
import dev.sluice.LocalHttpServer.Reset;
import dev.sluice.LocalHttpServer.Respond;
import dev.sluice.LocalHttpServer.Stall;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class FetchTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Sink COUNTING_SINK = items -> items.count().map(SinkReport::new);

    @Test
    void fetchesAStringValueAndRecordsTheResponse() {
        server.respond("/a.json", 200, "{\"a\":1}");
        String url = server.url("/a.json");

        StepVerifier.create(Fetch.get().apply(Flux.just(item(TextNode.valueOf(url)))))
                .assertNext(item -> {
                    assertThat(item.isFailure()).isFalse();
                    assertThat(item.value()).isEqualTo(TextNode.valueOf("{\"a\":1}"));
                    assertThat(item.metadata().url()).isEqualTo(url);
                    assertThat(item.metadata().status()).isEqualTo(200);
                    assertThat(item.metadata().attempts()).isEqualTo(1);
                    assertThat(item.metadata().headers()).containsEntry("content-type", "application/json");
                    assertThat(item.origin()).isEqualTo(Origin.of("test", 1));
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void fetchesTheUrlFieldOfAnObject() {
        server.respond("/b.json", 200, "[1,2]");
        String url = server.url("/b.json");
        JsonNode value = JsonNodeFactory.instance.objectNode().put("url", url).put("id", 7);

        StepVerifier.create(Fetch.get().apply(Flux.just(item(value))))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(TextNode.valueOf("[1,2]"));
                    assertThat(item.metadata().url()).isEqualTo(url);
                    assertThat(item.metadata().status()).isEqualTo(200);
                    assertThat(item.metadata().headers()).containsEntry("content-type", "application/json");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void keepsOnlyTheSelectedResponseHeaders() {
        server.route("/tagged", new Respond(200,
                Map.of("content-type", "text/plain", "etag", "\"v1\"", "x-other", "dropped"), "hi"));

        StepVerifier.create(Fetch.get().apply(Flux.just(item(TextNode.valueOf(server.url("/tagged"))))))
                .assertNext(item -> assertThat(item.metadata().headers())
                        .containsEntry("content-type", "text/plain")
                        .containsEntry("etag", "\"v1\"")
                        .containsEntry("content-length", "2")
                        .doesNotContainKey("x-other"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void emptyBodyBecomesAnEmptyString() {
        server.respond("/empty", 200, "");

        StepVerifier.create(Fetch.get().apply(Flux.just(item(TextNode.valueOf(server.url("/empty"))))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("")))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void errorStatusBecomesHttpStatusFailure() {
        String url = server.url("/missing");

        StepVerifier.create(Fetch.get().apply(Flux.just(item(TextNode.valueOf(url)))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.stage()).isEqualTo("fetch");
                    assertThat(failure.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(failure.status()).isEqualTo(404);
                    assertThat(failure.attempts()).isEqualTo(1);
                    assertThat(failure.url()).isEqualTo(url);
                    assertThat(failure.message()).isEqualTo("GET " + url + " returned 404 Not Found");
                    assertThat(failure.value()).isEqualTo(TextNode.valueOf(url));
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void refusedConnectionBecomesConnectFailure() throws IOException {
        String url = "http://127.0.0.1:" + closedPort() + "/x";

        StepVerifier.create(Fetch.get().retry(RetryOptions.NONE).apply(Flux.just(item(TextNode.valueOf(url)))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.CONNECT);
                    assertThat(failure.attempts()).isEqualTo(1);
                    assertThat(failure.url()).isEqualTo(url);
                    assertThat(failure.message()).startsWith("GET " + url + " failed: connection refused (");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void closedConnectionBecomesResetFailure() {
        server.route("/reset", new Reset());
        String url = server.url("/reset");

        StepVerifier.create(Fetch.get().retry(RetryOptions.NONE).apply(Flux.just(item(TextNode.valueOf(url)))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.RESET);
                    assertThat(failure.attempts()).isEqualTo(1);
                    assertThat(failure.message()).startsWith("GET " + url + " failed: connection closed early (");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void stalledResponseBecomesTimeoutFailure() {
        server.route("/stall", new Stall());
        String url = server.url("/stall");
        Fetch fetch = Fetch.get().timeout(Duration.ofMillis(300)).retry(RetryOptions.NONE);

        StepVerifier.create(fetch.apply(Flux.just(item(TextNode.valueOf(url)))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(failure.attempts()).isEqualTo(1);
                    assertThat(failure.message())
                            .isEqualTo("GET " + url + " failed: timed out (no complete response within 300ms)");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void invalidUrlsFailWithoutARequest() {
        RunContext run = new RunContext();
        Flux<Item> items = Flux.just(
                item(TextNode.valueOf("not a url")),
                item(TextNode.valueOf("ftp://x/y")),
                item(TextNode.valueOf("http://")),
                item(TextNode.valueOf("mailto:someone@example.com")),
                item(TextNode.valueOf("/relative/path")),
                item(TextNode.valueOf("http://127.0.0.1:65536/x")),
                item(TextNode.valueOf("http://127.0.0.1:0/x")),
                item(IntNode.valueOf(42)),
                item(JsonNodeFactory.instance.objectNode().put("id", 1)));

        StepVerifier.create(Fetch.get().apply(items).contextWrite(run::putInto))
                .assertNext(item -> assertInvalid(item, "invalid URL 'not a url': Illegal character in path at index 3"))
                .assertNext(item -> assertInvalid(item, "invalid URL 'ftp://x/y': scheme must be http or https, was ftp"))
                .assertNext(item -> assertInvalid(item, "invalid URL 'http://': Expected authority at index 7"))
                .assertNext(item -> assertInvalid(item,
                        "invalid URL 'mailto:someone@example.com': scheme must be http or https, was mailto"))
                .assertNext(item -> assertInvalid(item, "invalid URL '/relative/path': not an absolute URL"))
                .assertNext(item -> assertInvalid(item,
                        "invalid URL 'http://127.0.0.1:65536/x': port 65536 is out of range (1 - 65535)"))
                .assertNext(item -> assertInvalid(item,
                        "invalid URL 'http://127.0.0.1:0/x': port 0 is out of range (1 - 65535)"))
                .assertNext(item -> assertInvalid(item,
                        "fetch needs a string value or an object with a url field, got a number"))
                .assertNext(item -> assertInvalid(item,
                        "fetch needs a string value or an object with a url field, got an object without a url field"))
                .expectComplete()
                .verify(WAIT);

        assertThat(run.tally().report(0).requests()).isZero();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void failedItemsPassThroughUntouchedAndAreNotRequested() {
        Item failed = item(TextNode.valueOf(server.url("/never"))).fail("parse", Reason.PARSE, "bad input");

        StepVerifier.create(Fetch.get().apply(Flux.just(failed)))
                .assertNext(item -> assertThat(item).isSameAs(failed))
                .expectComplete()
                .verify(WAIT);

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void concurrencyIsBounded() {
        server.route("/slow", new Delayed(Duration.ofMillis(100), new Respond(200, Map.of(), "{}")));
        AtomicLong inStage = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        Flux<Item> items = Flux.range(1, 20).map(i -> item(TextNode.valueOf(server.url("/slow"))))
                .doOnNext(i -> peak.accumulateAndGet(inStage.incrementAndGet(), Math::max));

        StepVerifier.create(Fetch.get().concurrency(4).apply(items).doOnNext(i -> inStage.decrementAndGet()))
                .expectNextCount(20)
                .expectComplete()
                .verify(WAIT);

        assertThat(server.requests()).hasSize(20);
        assertThat(peak.get()).as("items in the stage at once").isBetween(2L, 4L);
        assertThat(server.maxInFlight()).as("seen by the server, which counts a response until it is flushed")
                .isBetween(2, 5);
    }

    @Test
    void requestsFollowDownstreamDemand() {
        server.respond("/n", 200, "{}");
        AtomicLong requested = new AtomicLong();
        Flux<Item> items = Flux.range(1, 1000)
                .doOnRequest(requested::addAndGet)
                .map(i -> item(TextNode.valueOf(server.url("/n"))));

        StepVerifier.create(Fetch.get().concurrency(4).apply(items), 0)
                .expectSubscription()
                .thenRequest(1)
                .expectNextCount(1)
                .then(() -> assertThat(requested.get()).isBetween(1L, 4L + 3L))
                .then(() -> assertThat(server.requests().size()).isBetween(1, 4 + 3))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void stagesOfARunShareOneClientWhosePoolIsDisposedWithTheRun() {
        server.respond("/first", 200, server.url("/second"));
        server.respond("/second", 200, "done");
        RunContext run = new RunContext();
        Fetch fetch = Fetch.get();

        StepVerifier.create(fetch.apply(fetch.concurrency(2).apply(Flux.just(item(TextNode.valueOf(server.url("/first"))))))
                        .contextWrite(run::putInto))
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("done")))
                .expectComplete()
                .verify(WAIT);
        SharedClient shared = run.shared(SharedClient.key(FetchOptions.DEFAULTS, 1), FetchTest::noSecondClient, client -> Mono.empty());

        assertThat(run.tally().report(0).requests()).isEqualTo(2);
        assertThat(shared.lanes()).isNotEmpty().noneMatch(lane -> lane.provider().isDisposed());
        StepVerifier.create(run.close()).expectComplete().verify(WAIT);
        assertThat(shared.lanes()).allMatch(lane -> lane.provider().isDisposed());
    }

    @Test
    void eachPipelineRunCountsRequestsAndBytesOnItsOwnPool() {
        server.respond("/a", 200, "{\"n\":1}");
        Pipeline pipeline = Pipeline.from(() -> Flux.just(
                        item(TextNode.valueOf(server.url("/a"))),
                        item(TextNode.valueOf(server.url("/a"))),
                        item(TextNode.valueOf(server.url("/gone")))))
                .then(Fetch.get())
                .to(COUNTING_SINK)
                .deadLetterTo(COUNTING_SINK);
        long bytes = 2L * "{\"n\":1}".length() + "not found: /gone".getBytes(StandardCharsets.UTF_8).length;

        for (int runNumber = 1; runNumber <= 2; runNumber++) {
            StepVerifier.create(pipeline.run())
                    .assertNext(report -> {
                        assertThat(report.requests()).isEqualTo(3);
                        assertThat(report.bytesIn()).isEqualTo(bytes);
                        assertThat(report.outputs()).isEqualTo(2);
                        assertThat(report.deadLetterReasons()).containsExactly(Map.entry("http_status", 1L));
                        assertThat(report.isBalanced()).isTrue();
                    })
                    .expectComplete()
                    .verify(WAIT);
        }

        assertThat(server.requests()).hasSize(6);
    }

    @Test
    void optionsDefaultAndVaryWithoutChangingTheOriginal() {
        Fetch base = Fetch.get();

        Fetch varied = base.concurrency(8).timeout(Duration.ofSeconds(5)).header("user-agent", "sluice-test");

        assertThat(base.options()).isEqualTo(FetchOptions.DEFAULTS);
        assertThat(FetchOptions.DEFAULTS)
                .isEqualTo(new FetchOptions(16, Duration.ofSeconds(30), Duration.ofSeconds(10), Map.of()));
        assertThat(varied.options()).isEqualTo(new FetchOptions(
                8, Duration.ofSeconds(5), Duration.ofSeconds(10), Map.of("user-agent", "sluice-test")));
    }

    @Test
    void optionsRejectValuesOutOfRange() {
        FetchOptions defaults = FetchOptions.DEFAULTS;

        assertThatThrownBy(() -> defaults.withConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("concurrency must be >= 1, was 0");
        assertThatThrownBy(() -> defaults.withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be > 0, was PT0S");
        assertThatThrownBy(() -> defaults.withConnectTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be > 0, was PT-1S");
        assertThatThrownBy(() -> defaults.withHeader(" ", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header names must not be blank, was ' '");
    }

    private static Item item(JsonNode value) {
        return Item.of(value, Origin.of("test", 1));
    }

    private static void assertInvalid(Item item, String message) {
        Failure failure = item.failure().orElseThrow();
        assertThat(failure.reason()).isEqualTo(Reason.INVALID_URL);
        assertThat(failure.attempts()).isZero();
        assertThat(failure.message()).isEqualTo(message);
    }

    private static SharedClient noSecondClient() {
        throw new AssertionError("the run created a second client");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
