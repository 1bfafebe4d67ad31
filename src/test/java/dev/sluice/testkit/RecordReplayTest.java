package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

class RecordReplayTest {

    @RegisterExtension
    static final StubServer stub = StubServer.start();

    private static final HttpClient CLIENT = HttpClient.create().disableRetry(true);

    /** Sends a GET as a fetch stage does once it applies the run's rewrite. */
    private static Mono<String> get(UnaryOperator<URI> rewrite, String url) {
        return CLIENT.headers(h -> h.set("authorization", "Bearer s3cret").set("accept", "application/json"))
                .get().uri(rewrite.apply(URI.create(url)))
                .responseSingle((res, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> res.status().code() + " " + text));
    }

    @Test
    void exchangesAreSavedAsReadableFilesWithSecretsRedacted(@TempDir Path dir) throws Exception {
        stub.on("/items/1.json").respond(Reply.json("{\"id\":1}").header("x-rate", "9").gzip());
        String url = stub.url("/items/1.json?api_key=abc&page=2");

        try (Recorder recorder = Recorder.start(dir)) {
            StepVerifier.create(get(recorder.rewrite(), url)).expectNext("200 {\"id\":1}").verifyComplete();
            assertThat(recorder.recorded()).isEqualTo(1);
        }

        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("0001-GET-127.0.0.1-" + stub.port() + "-items-1.json.http");
        assertThat(Files.readString(files.get(0))).isEqualTo("GET " + stub.url("/items/1.json?api_key=<redacted>&page=2") + "\n"
                + "authorization: <redacted>\n"
                + "accept: application/json\n"
                + "\n"
                + "HTTP 200\n"
                + "content-type: application/json\n"
                + "x-rate: 9\n"
                + "\n"
                + "{\"id\":1}");
        assertThat(stub.requests().get(0).header("authorization")).isEqualTo("Bearer s3cret");
    }

    @Test
    void recordingsReplayInOrderWithoutTheOriginalServer(@TempDir Path dir) {
        stub.on("/flaky").respond(Reply.status(503).retryAfter(java.time.Duration.ofSeconds(1)), Reply.json("{\"ok\":true}"));
        try (Recorder recorder = Recorder.start(dir)) {
            StepVerifier.create(Flux.concat(get(recorder.rewrite(), stub.url("/flaky")), get(recorder.rewrite(), stub.url("/flaky"))))
                    .expectNext("503 ", "200 {\"ok\":true}")
                    .verifyComplete();
        }
        stub.reset();

        try (ReplayServer replay = ReplayServer.load(dir)) {
            StepVerifier.create(Flux.concat(get(replay.rewrite(), stub.url("/flaky")), get(replay.rewrite(), stub.url("/flaky")),
                            get(replay.rewrite(), stub.url("/flaky"))))
                    .expectNext("503 ", "200 {\"ok\":true}", "200 {\"ok\":true}")
                    .verifyComplete();
            assertThat(replay.misses()).isEmpty();
        }
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void aRequestWithoutRecordingFailsNamingTheClosestOne(@TempDir Path dir) {
        stub.on("/items/1.json").json("{}");
        try (Recorder recorder = Recorder.start(dir)) {
            StepVerifier.create(get(recorder.rewrite(), stub.url("/items/1.json"))).expectNext("200 {}").verifyComplete();
        }
        String expected = "GET " + stub.url("/items/2.json") + " has no recording (closest recording: GET "
                + stub.url("/items/1.json") + " in 0001-GET-127.0.0.1-" + stub.port() + "-items-1.json.http)";

        try (ReplayServer replay = ReplayServer.load(dir)) {
            StepVerifier.create(get(replay.rewrite(), stub.url("/items/2.json")))
                    .expectNext("404 " + expected)
                    .verifyComplete();
            assertThat(replay.misses()).containsExactly(expected);
        }
    }

    @Test
    void anUnreachableOriginIsA502AndNotRecorded(@TempDir Path dir) {
        try (Recorder recorder = Recorder.start(dir)) {
            StepVerifier.create(get(recorder.rewrite(), "http://127.0.0.1:1/nothing"))
                    .assertNext(answer -> assertThat(answer).startsWith("502 recorder could not forward to http://127.0.0.1:1/nothing"))
                    .verifyComplete();
            assertThat(recorder.recorded()).isZero();
        }
    }
}
