package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.fetch.FaultyServer.Huge;
import dev.sluice.fetch.FaultyServer.Gzip;
import dev.sluice.fetch.FaultyServer.Reset;
import dev.sluice.fetch.FaultyServer.ResetMidBody;
import dev.sluice.fetch.FaultyServer.Respond;
import dev.sluice.fetch.FaultyServer.Stall;
import dev.sluice.fetch.FaultyServer.Trickle;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The fetch stage against scripted faults on a real loopback server, in real time with tiny waits
 * (exact timings are checked in virtual time by {@link RetryLoopTest} and {@link HostGateTest}).
 */
class FetchFaultsTest {

    @RegisterExtension
    static final FaultyServer server = FaultyServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Quick, exact retries: 3 attempts, 5 ms then 10 ms, Retry-After capped at 100 ms. */
    private static final RetryOptions QUICK = RetryOptions.DEFAULTS
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
            .withMaxRetryAfter(Duration.ofMillis(100))
            .withJitter(false);

    private static final Fetch FETCH = Fetch.get().retry(QUICK);

    /** 16 MiB of zeros in about 16 KiB of gzip. */
    private static final Gzip BOMB = Gzip.of(new byte[16 * 1024 * 1024]);

    @Test
    void serverErrorThenSuccessIsRetriedAndCountsTwoAttempts() {
        server.script("/flaky", new Respond(500, "boom")).route("/flaky", new Respond(200, "{\"ok\":true}"));
        RunContext run = new RunContext();

        expectOne(FETCH, server.url("/flaky"), run, item -> {
            assertThat(item.isFailure()).isFalse();
            assertThat(item.value()).isEqualTo(TextNode.valueOf("{\"ok\":true}"));
            assertThat(item.metadata().attempts()).isEqualTo(2);
            assertThat(item.metadata().status()).isEqualTo(200);
        });

        assertThat(run.tally().report(0).requests()).isEqualTo(2);
        assertThat(run.tally().report(0).retries()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsWithRetryAfterSecondsIsRetriedAfterTheCappedWait() {
        server.script("/limited", new Respond(429, Map.of("retry-after", "120"), "slow down"))
                .route("/limited", new Respond(200, "fine"));

        expectOne(FETCH, server.url("/limited"), new RunContext(), item -> {
            assertThat(item.value()).isEqualTo(TextNode.valueOf("fine"));
            assertThat(item.metadata().attempts()).isEqualTo(2);
            assertThat(item.metadata().elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        });
    }

    @Test
    void serviceUnavailableWithRetryAfterDateIsRetried() {
        server.script("/down", new Respond(503, Map.of("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT"), "later"))
                .route("/down", new Respond(200, "up"));

        expectOne(FETCH, server.url("/down"), new RunContext(), item -> {
            assertThat(item.value()).isEqualTo(TextNode.valueOf("up"));
            assertThat(item.metadata().attempts()).isEqualTo(2);
        });
    }

    @Test
    void exhaustedRetriesDeadLetterWithTheLastReasonAndAttempts() {
        String url = server.url("/always503");
        server.route("/always503", new Respond(503, "no"));
        RunContext run = new RunContext();

        expectOne(FETCH, url, run, item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.HTTP_STATUS);
            assertThat(failure.status()).isEqualTo(503);
            assertThat(failure.attempts()).isEqualTo(3);
            assertThat(failure.message()).isEqualTo("GET " + url + " returned 503 Service Unavailable");
        });

        assertThat(server.paths()).hasSize(3);
        assertThat(run.tally().report(0).retries()).isEqualTo(2);
    }

    @Test
    void resetBeforeTheResponseIsRetried() {
        server.script("/drop", new Reset()).route("/drop", new Respond(200, "second time"));

        expectOne(FETCH, server.url("/drop"), new RunContext(), item -> {
            assertThat(item.value()).isEqualTo(TextNode.valueOf("second time"));
            assertThat(item.metadata().attempts()).isEqualTo(2);
        });
    }

    @Test
    void resetMidBodyBecomesResetFailure() {
        String url = server.url("/cut");
        server.route("/cut", new ResetMidBody());

        expectOne(FETCH, url, new RunContext(), item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.RESET);
            assertThat(failure.attempts()).isEqualTo(3);
            assertThat(failure.message())
                    .startsWith("GET " + url + " failed: connection closed early (")
                    .contains("DURING response");
        });
    }

    @Test
    void stalledHeadersHitTheResponseTimeout() {
        String url = server.url("/stall");
        server.route("/stall", new Stall());
        Fetch fetch = Fetch.get().retry(RetryOptions.NONE).responseTimeout(Duration.ofMillis(200));

        expectOne(fetch, url, new RunContext(), item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(failure.message()).isEqualTo("GET " + url + " failed: timed out (no response data within 200ms)");
        });
    }

    @Test
    void bodyStalledAfterTheHeadersHitsTheResponseTimeout() {
        String url = server.url("/quiet");
        Sinks.Empty<Void> never = Sinks.empty();
        server.route("/quiet", new FaultyServer.Gated("begun", never.asMono(), "ended"));
        Fetch fetch = Fetch.get().retry(RetryOptions.NONE).responseTimeout(Duration.ofMillis(200));

        expectOne(fetch, url, new RunContext(), item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(failure.message()).isEqualTo("GET " + url + " failed: timed out (no response data within 200ms)");
        });
        never.tryEmitEmpty();
    }

    @Test
    void bodyStillArrivingOutlastsTheResponseTimeout() {
        // 8 lines 60 ms apart: about half a second in all, while the response timeout is 200 ms
        String url = server.url("/drip");
        server.route("/drip", new FaultyServer.Lines(Duration.ofMillis(60), 8));
        Fetch fetch = Fetch.get().retry(RetryOptions.NONE).responseTimeout(Duration.ofMillis(200));

        expectOne(fetch, url, new RunContext(), item -> {
            assertThat(item.failure()).isEmpty();
            assertThat(item.value().asText().lines()).hasSize(8).last().isEqualTo("{\"n\":7}");
        });
    }

    @Test
    void trickledBodyIsCutByTheAttemptDeadline() {
        String url = server.url("/trickle");
        server.route("/trickle", new Trickle(Duration.ofMillis(10)));
        Fetch fetch = Fetch.get().retry(RetryOptions.NONE).timeout(Duration.ofMillis(300));

        expectOne(fetch, url, new RunContext(), item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(failure.message())
                    .isEqualTo("GET " + url + " failed: timed out (no complete response within 300ms)");
        });
    }

    @Test
    void hugeChunkedBodyIsCutAtTheLimitAndNotRetried() {
        String url = server.url("/huge");
        server.route("/huge", new Huge(128));
        RunContext run = new RunContext();

        expectOne(FETCH.maxBody(100_000), url, run, item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(failure.attempts()).isEqualTo(1);
            assertThat(failure.status()).isEqualTo(200);
            assertThat(failure.message())
                    .isEqualTo("GET " + url + " failed: too large (body exceeds the maximum of 100000 bytes)");
        });

        assertThat(run.tally().report(0).bytesIn()).isBetween(100_001L, 100_000L + 64 * 1024);
    }

    @Test
    void gzipBombIsCutOnDecompressedBytes() {
        server.route("/bomb", BOMB);
        RunContext run = new RunContext();

        expectOne(FETCH.maxBody(1024 * 1024), server.url("/bomb"), run, item ->
                assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.TOO_LARGE));

        assertThat(run.tally().report(0).bytesIn()).isLessThan(4L * 1024 * 1024);
    }

    @Test
    void declaredLengthOverTheLimitFailsBeforeReading() {
        String url = server.url("/big");
        server.route("/big", new Respond(200, "x".repeat(5000)));

        expectOne(FETCH.maxBody(1000), url, new RunContext(), item -> assertThat(item.failure().orElseThrow().message())
                .isEqualTo("GET " + url + " failed: too large (content-length 5000 exceeds the maximum of 1000 bytes)"));
    }

    @Test
    void gzipBodyWithinTheLimitIsDecompressed() {
        server.route("/small.gz", Gzip.of("{\"zipped\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        expectOne(FETCH, server.url("/small.gz"), new RunContext(), item ->
                assertThat(item.value()).isEqualTo(TextNode.valueOf("{\"zipped\":true}")));
    }

    @Test
    void aCorruptGzipBodyFailsItsItemAndGivesTheConnectionBack() {
        byte[] garbage = "\u001f\u008b\u0008\u0000garbagegarbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        server.route("/bad.gz", new Gzip(garbage)).route("/ok", new Respond(200, "{\"ok\":true}"));
        Fetch oneConnection = FETCH.perHost(1).concurrency(1);

        StepVerifier.create(oneConnection.apply(Flux.just(item(server.url("/bad.gz")), item(server.url("/ok")),
                                item(server.url("/ok"))))
                        .contextWrite(new RunContext()::putInto))
                .assertNext(item -> assertThat(item.failure()).hasValueSatisfying(f ->
                        assertThat(f.message()).contains("/bad.gz")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("{\"ok\":true}")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("{\"ok\":true}")))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aGzipBodyCutShortIsAFailureNotAShorterBody() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            lines.append("{\"n\":").append(i).append(",\"pad\":\"").append(i * 7919 % 100003).append("\"}\n");
        }
        byte[] whole = FaultyServer.gzip(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        server.route("/cut.gz", new Gzip(java.util.Arrays.copyOf(whole, whole.length - 40)))
                .route("/whole.gz", new Gzip(whole));
        RunContext run = new RunContext();

        expectOne(FETCH, server.url("/cut.gz"), run, item -> assertThat(item.failure()).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo(Reason.RESET);
            assertThat(f.attempts()).as("retried like a broken transfer").isEqualTo(3);
            assertThat(f.message()).startsWith("GET " + server.url("/cut.gz") + " failed: malformed response (the gzip body");
        }));
        expectOne(FETCH, server.url("/whole.gz"), run, item ->
                assertThat(item.value()).isEqualTo(TextNode.valueOf(lines.toString())));
    }

    @Test
    void redirectChainIsFollowedAndTheFinalUrlRecorded() {
        server.route("/r1", new Respond(301, Map.of("location", "/r2"), ""))
                .route("/r2", new Respond(302, Map.of("location", server.url("/r3")), ""))
                .route("/r3", new Respond(200, "arrived"));
        RunContext run = new RunContext();

        expectOne(FETCH, server.url("/r1"), run, item -> {
            assertThat(item.value()).isEqualTo(TextNode.valueOf("arrived"));
            assertThat(item.metadata().url()).isEqualTo(server.url("/r3"));
            assertThat(item.metadata().attempts()).isEqualTo(1);
        });

        assertThat(server.paths()).containsExactly("/r1", "/r2", "/r3");
        assertThat(run.tally().report(0).requests()).isEqualTo(3);
    }

    @Test
    void redirectLoopDeadLettersAsTooManyRedirects() {
        String a = server.url("/a");
        server.route("/a", new Respond(302, Map.of("location", "/b"), ""))
                .route("/b", new Respond(307, Map.of("location", "/a"), ""));

        expectOne(FETCH, a, new RunContext(), item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.TOO_MANY_REDIRECTS);
            assertThat(failure.attempts()).isEqualTo(1);
            assertThat(failure.message())
                    .isEqualTo("GET " + a + " redirects in a loop: " + a + " -> " + server.url("/b") + " -> " + a);
        });
    }

    @Test
    void tooManyHopsDeadLetterAsTooManyRedirects() {
        for (int i = 0; i < 5; i++) {
            server.route("/hop" + i, new Respond(302, Map.of("location", "/hop" + (i + 1)), ""));
        }
        String url = server.url("/hop0");

        expectOne(FETCH.redirects(3), url, new RunContext(), item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.TOO_MANY_REDIRECTS);
            assertThat(failure.message()).isEqualTo("GET " + url + " was redirected more than 3 times (last to /hop4)");
        });

        assertThat(server.paths()).containsExactly("/hop0", "/hop1", "/hop2", "/hop3");
    }

    @Test
    void credentialsAreNotForwardedToAnotherHost() {
        server.route("/login", new Respond(302, Map.of("location", server.otherHostUrl("/elsewhere")), ""))
                .route("/elsewhere", new Respond(200, "public"));
        Fetch fetch = FETCH.auth(Auth.bearer("t0ken")).header("cookie", "session=1").header("accept", "text/plain");

        expectOne(fetch, server.url("/login"), new RunContext(), item ->
                assertThat(item.value()).isEqualTo(TextNode.valueOf("public")));

        assertThat(server.seen()).hasSize(2);
        assertThat(server.seen().get(0).headers())
                .containsEntry("authorization", "Bearer t0ken")
                .containsEntry("cookie", "session=1");
        assertThat(server.seen().get(1).host()).isEqualTo(server.otherHostHeader());
        assertThat(server.seen().get(1).headers())
                .doesNotContainKeys("authorization", "cookie")
                .containsEntry("accept", "text/plain");
    }

    @Test
    void postSendsTheBodyTemplateFilledFromTheItem() {
        server.route("/orders", new Respond(201, "created"));
        JsonNode value = JsonNodeFactory.instance.objectNode().put("url", server.url("/orders")).put("id", 7)
                .put("name", "Ada");
        Fetch post = Fetch.request(Method.POST).retry(QUICK).auth(Auth.basic("alice", "pw"))
                .body("{\"id\": {id}, \"name\": \"{name}\"}");

        StepVerifier.create(post.apply(Flux.just(Item.of(value, Origin.of("test", 1)))))
                .assertNext(item -> assertThat(item.metadata().status()).isEqualTo(201))
                .expectComplete()
                .verify(WAIT);

        FaultyServer.Seen seen = server.seen().get(0);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.body()).isEqualTo("{\"id\": 7, \"name\": \"Ada\"}");
        assertThat(seen.headers()).containsEntry("authorization", "Basic YWxpY2U6cHc=")
                .as("the length announced, not chunked").containsEntry("content-length", "24")
                .doesNotContainKey("transfer-encoding");
    }

    @Test
    void postIsNotRetriedUnlessOptedIn() {
        server.route("/submit", new Respond(503, "busy"));
        Fetch post = Fetch.request(Method.POST).retry(QUICK);

        expectOne(post, server.url("/submit"), new RunContext(), item ->
                assertThat(item.failure().orElseThrow().attempts()).isEqualTo(1));
        expectOne(post.retry(QUICK.withRetryNonIdempotent(true)), server.url("/submit"), new RunContext(), item ->
                assertThat(item.failure().orElseThrow().attempts()).isEqualTo(3));
    }

    @Test
    void missingTemplateFieldFailsWithoutARequest() {
        String url = server.url("/orders");

        expectOne(Fetch.request(Method.PUT).body("{\"id\": {id}}"), url, new RunContext(), item -> {
            Failure failure = item.failure().orElseThrow();
            assertThat(failure.attempts()).isZero();
            assertThat(failure.reason()).as("as json_body and header_templates").isEqualTo(Reason.TRANSFORM);
            assertThat(failure.message()).isEqualTo(
                    "PUT " + url + " not sent: the body template names {id} but the item has no field 'id'");
        });

        assertThat(server.seen()).isEmpty();
    }

    @Test
    void perHostLimitHoldsAtTheServerForEachHost() {
        server.route("/slow", new FaultyServer.Slow(Duration.ofMillis(50), "{}"));
        Flux<Item> items = Flux.range(0, 24)
                .map(i -> item(i % 2 == 0 ? server.url("/slow") : server.otherHostUrl("/slow")));

        StepVerifier.create(Fetch.get().concurrency(16).perHost(2).apply(items))
                .expectNextCount(24)
                .expectComplete()
                .verify(WAIT);

        assertThat(server.maxInFlight(server.hostHeader())).isEqualTo(2);
        assertThat(server.maxInFlight(server.otherHostHeader())).isEqualTo(2);
    }

    @Test
    void waitForAPooledConnectionIsBoundedAndReportedApart() {
        String url = server.url("/hold");
        server.script("/hold", new Stall());
        server.route("/hold", new Respond(200, "late"));
        Fetch fetch = Fetch.of(FetchOptions.builder().perHost(1).poolTimeout(Duration.ofMillis(150))
                .timeout(Duration.ofSeconds(1)).retry(RetryOptions.NONE).build());

        StepVerifier.create(fetch.apply(Flux.just(item(url), item(url))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.CONNECT);
                    assertThat(failure.message()).matches("GET " + java.util.regex.Pattern.quote(url)
                            + " failed: no pooled connection available \\(waited \\d+ms for a connection to "
                            + "http://127.0.0.1:\\d+\\)");
                })
                .assertNext(item -> assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.TIMEOUT))
                .expectComplete()
                .verify(WAIT);
    }

    private static void expectOne(Fetch fetch, String url, RunContext run, Consumer<Item> check) {
        StepVerifier.create(fetch.apply(Flux.just(item(url))).contextWrite(run::putInto))
                .assertNext(check)
                .expectComplete()
                .verify(WAIT);
    }

    private static Item item(String url) {
        return Item.ofText(url, Origin.of("test", 1));
    }
}
