package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.fetch.Fetch;
import dev.sluice.fetch.RetryOptions;
import dev.sluice.source.Inputs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.test.StepVerifier;

class StubServerTest {

    @RegisterExtension
    static final StubServer stub = StubServer.start();

    private static final HttpClient CLIENT = HttpClient.create().disableRetry(true);

    private static Mono<String> get(String path) {
        return CLIENT.get().uri(stub.url(path))
                .responseSingle((res, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> res.status().code() + " " + text));
    }

    @Test
    void scriptedStatusesAreUsedInOrderAndTheLastOneRepeats() {
        stub.on("/flaky").respond(503, 503, 200);

        StepVerifier.create(Flux.concat(get("/flaky"), get("/flaky"), get("/flaky"), get("/flaky")))
                .expectNext("503 ", "503 ", "200 ", "200 ")
                .verifyComplete();
        assertThat(stub.paths()).containsExactly("/flaky", "/flaky", "/flaky", "/flaky");
    }

    @Test
    void unknownPathsGet404NamingTheStubbedPaths() {
        stub.on("/a.json").json("{}");

        StepVerifier.create(get("/nope"))
                .expectNext("404 no stub for /nope on 127.0.0.1:" + stub.port() + "; stubbed: /a.json")
                .verifyComplete();
    }

    @Test
    void headersSuchAsRetryAfterAndLinkAreSent() {
        stub.on("/page").respond(Reply.status(429).retryAfter(Duration.ofSeconds(7)).link("http://x/p2", "next")
                .link("http://x/last", "last"));

        StepVerifier.create(CLIENT.get().uri(stub.url("/page")).response())
                .assertNext(res -> {
                    assertThat(res.status().code()).isEqualTo(429);
                    assertThat(res.responseHeaders().get("retry-after")).isEqualTo("7");
                    assertThat(res.responseHeaders().getAll("link"))
                            .containsExactly("<http://x/p2>; rel=\"next\"", "<http://x/last>; rel=\"last\"");
                })
                .verifyComplete();
    }

    @Test
    void gzipBodiesAreCompressedWithTheirEncodingHeader() {
        stub.on("/z").respond(Reply.json("{\"zipped\":true}").gzip());

        StepVerifier.create(CLIENT.get().uri(stub.url("/z"))
                        .responseSingle((res, body) -> body.asByteArray()
                                .map(bytes -> res.responseHeaders().get("content-encoding") + " " + gunzip(bytes))))
                .expectNext("gzip {\"zipped\":true}")
                .verifyComplete();
    }

    @Test
    void aCompressingClientReadsGzipBodiesAsPlainText() {
        stub.on("/z").respond(Reply.json("{\"zipped\":true}").gzip());

        StepVerifier.create(HttpClient.create().compress(true).get().uri(stub.url("/z"))
                        .responseContent().aggregate().asString())
                .expectNext("{\"zipped\":true}")
                .verifyComplete();
    }

    @Test
    void resetBeforeTheResponseClosesTheConnection() {
        stub.on("/reset").respond(Reply.reset());

        StepVerifier.create(get("/reset"))
                .expectError(PrematureCloseException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void resetMidBodySendsPartOfTheAnnouncedBody() {
        stub.on("/cut").respond(Reply.resetMidBody());

        StepVerifier.create(CLIENT.get().uri(stub.url("/cut")).responseContent().aggregate().asString())
                .expectError(PrematureCloseException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aStalledReplyTripsTheClientTimeout() {
        stub.on("/stall").respond(Reply.stall());

        StepVerifier.create(get("/stall").timeout(Duration.ofMillis(300)))
                .expectError(java.util.concurrent.TimeoutException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aTrickledBodyArrivesOneByteAtATime() {
        stub.on("/slow").respond(Reply.text("abcd").trickled(Duration.ofMillis(20)));

        StepVerifier.create(CLIENT.get().uri(stub.url("/slow")).responseContent().asString().collectList())
                .assertNext(parts -> assertThat(String.join("", parts)).isEqualTo("abcd"))
                .verifyComplete();
    }

    @Test
    void aHugeBodyIsChunkedWithoutContentLength() {
        stub.on("/huge").respond(Reply.huge(5_000_000));

        StepVerifier.create(CLIENT.get().uri(stub.url("/huge"))
                        .response((res, body) -> body.map(b -> (long) b.readableBytes())
                                .reduce(0L, Long::sum)
                                .map(n -> res.responseHeaders().get("content-length") + " " + n)))
                .expectNext("null 5000000")
                .verifyComplete();
    }

    @Test
    void aDelayedReplyArrivesAfterItsDelay() {
        stub.on("/late").respond(Reply.json("{}").delayed(Duration.ofMillis(200)));
        long start = System.nanoTime();

        StepVerifier.create(get("/late")).expectNext("200 {}").verifyComplete();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void fileRepliesServeTheFileWithAGuessedContentType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.json");
        Files.writeString(file, "{\"from\":\"file\"}");
        stub.on("/a.json").respond(Reply.file(file));

        StepVerifier.create(CLIENT.get().uri(stub.url("/a.json"))
                        .responseSingle((res, body) -> body.asString().map(t -> res.responseHeaders().get("content-type") + " " + t)))
                .expectNext("application/json {\"from\":\"file\"}")
                .verifyComplete();
    }

    @Test
    void hostRoutesWinOverAnyHostRoutes() {
        stub.on("/who").json("\"any\"");
        stub.on("api.example.com", "/who").json("\"api\"");

        Mono<String> viaApi = CLIENT.headers(h -> h.set("host", "api.example.com")).get().uri(stub.url("/who"))
                .responseContent().aggregate().asString();

        StepVerifier.create(Flux.concat(viaApi, get("/who"))).expectNext("\"api\"", "200 \"any\"").verifyComplete();
        assertThat(stub.requests()).extracting(StubRequest::host)
                .containsExactly("api.example.com", "127.0.0.1:" + stub.port());
    }

    @Test
    void theLogRecordsMethodPathHeadersBodyAndOrder() {
        stub.on("/post").respond(201);

        StepVerifier.create(CLIENT.headers(h -> h.set("x-trace", "t1")).post().uri(stub.url("/post?x=1"))
                        .send(reactor.netty.ByteBufFlux.fromString(Mono.just("hello")))
                        .response().map(res -> res.status().code()))
                .expectNext(201)
                .verifyComplete();

        StubRequest seen = stub.requests("/post").get(0);
        assertThat(seen.index()).isZero();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/post?x=1");
        assertThat(seen.header("X-Trace")).isEqualTo("t1");
        assertThat(seen.body()).isEqualTo("hello");
    }

    @Test
    void peakConcurrencyIsBoundedByTheFetchConcurrency() {
        stub.on("/slow").respond(Reply.json("{}").delayed(Duration.ofMillis(50)));
        List<String> urls = java.util.stream.IntStream.range(0, 12).mapToObj(i -> stub.url("/slow")).toList();

        StepVerifier.create(Pipeline.from(Inputs.urls(urls)).then(Fetch.get().concurrency(3)).items())
                .expectNextCount(12)
                .verifyComplete();

        assertThat(stub.maxConcurrency()).isBetween(2, 3);
        assertThat(stub.requests()).hasSize(12);
    }

    @Test
    void aFetchRetriesThroughAScriptedSequence() {
        stub.on("/flaky").respond(Reply.status(503), Reply.status(503), Reply.json("{\"ok\":true}"));
        Fetch fetch = Fetch.get().retry(RetryOptions.DEFAULTS.withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)));

        StepVerifier.create(Pipeline.from(Inputs.url(stub.url("/flaky"))).then(fetch).results())
                .assertNext(item -> assertThat(item.metadata().attempts()).isEqualTo(3))
                .verifyComplete();
        assertThat(stub.requests("/flaky")).hasSize(3);
    }

    @Test
    void aResetIsADeadLetterOfTheFetchStage() {
        stub.on("/gone").respond(Reply.reset());

        StepVerifier.create(Pipeline.from(Inputs.url(stub.url("/gone"))).then(Fetch.get()).results())
                .assertNext(item -> assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.RESET))
                .verifyComplete();
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
