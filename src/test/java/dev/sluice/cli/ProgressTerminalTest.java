package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Runs a real {@code sluice run} process twice against a slow loopback server: under a pseudo
 * terminal ({@code script}, from util-linux) it redraws a live progress line; with stderr in a file it
 * prints no escape codes at all.
 */
class ProgressTerminalTest {

    @TempDir
    Path tmp;

    private DisposableServer server;

    @BeforeEach
    void startSlowServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> Mono.delay(Duration.ofMillis(40), Schedulers.boundedElastic())
                        .then(res.status(HttpResponseStatus.OK).sendString(Mono.just("{\"ok\":true}")).then()))
                .bindNow();
    }

    @AfterEach
    void stopServer() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    private Path pipeline() throws IOException {
        Path file = tmp.resolve("slow.yaml");
        Files.writeString(file, """
                source:
                  range: { template: 'http://127.0.0.1:%d/items/{n}', from: 1, to: 120 }
                steps:
                  - fetch: { concurrency: 2 }
                  - parse: json
                sink:
                  file: { path: '%s' }
                """.formatted(server.port(), tmp.resolve("out.ndjson")));
        return file;
    }

    private String java(Path file) {
        return String.join(" ", List.of(
                "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "'",
                "-cp", "'" + System.getProperty("java.class.path") + "'",
                Main.class.getName(), "run", "'" + file + "'"));
    }

    @Test
    void aTerminalGetsALiveProgressLine() throws Exception {
        Path transcript = tmp.resolve("tty.txt");
        Process process = new ProcessBuilder("script", "-qec", java(pipeline()), "/dev/null")
                .redirectOutput(transcript.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String tty = Files.readString(transcript, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(tty).isZero();
        assertThat(tty).contains(Progress.CLEAR_LINE).contains("in flight").contains("ETA")
                .contains("120 inputs -> 120 outputs");
    }

    @Test
    void aFileGetsPlainLinesWithoutEscapeCodes() throws Exception {
        Path stderr = tmp.resolve("stderr.txt");
        Process process = new ProcessBuilder("sh", "-c", java(pipeline()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(log).isZero();
        assertThat(log).contains("120 inputs -> 120 outputs").doesNotContain("\u001b").doesNotContain("\r");
    }
}
