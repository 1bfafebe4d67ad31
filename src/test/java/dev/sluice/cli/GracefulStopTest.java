package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Sends real signals to a real {@code sluice run} process fetching from a slow loopback server. */
class GracefulStopTest {

    @TempDir
    Path tmp;

    private final CountDownLatch twentyRequests = new CountDownLatch(20);
    private DisposableServer server;

    @BeforeEach
    void startSlowServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    twentyRequests.countDown();
                    return Mono.delay(Duration.ofMillis(50), Schedulers.boundedElastic())
                            .then(res.status(HttpResponseStatus.OK)
                                    .sendString(Mono.just("{\"path\":\"" + req.uri() + "\"}")).then());
                })
                .bindNow();
    }

    @AfterEach
    void stopServer() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    private Process sluice(Path pipeline, String... extra) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", pipeline.toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command)
                .redirectError(tmp.resolve("stderr.txt").toFile())
                .redirectOutput(tmp.resolve("stdout.txt").toFile())
                .start();
    }

    private Path pipeline() throws IOException {
        Path file = tmp.resolve("slow.yaml");
        Files.writeString(file, """
                source:
                  range: { template: 'http://127.0.0.1:%d/items/{n}', from: 1, to: 100000 }
                steps:
                  - fetch: { concurrency: 4 }
                  - parse: json
                sink:
                  file: { path: '%s' }
                """.formatted(server.port(), tmp.resolve("out.ndjson")));
        return file;
    }

    @Test
    void sigtermDrainsInFlightItemsWritesWholeLinesAndExits143() throws Exception {
        long t0 = System.nanoTime();
        Process process = sluice(pipeline(), "--no-progress");
        assertThat(twentyRequests.await(90, TimeUnit.SECONDS)).as("server saw 20 requests").isTrue();
        long t1 = System.nanoTime();

        process.destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        System.out.println("TIMING start->20 requests " + (t1 - t0) / 1_000_000 + " ms, signal->exit " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        String stderr = Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isEqualTo(143);
        assertThat(stderr).contains("stopped by SIGTERM").contains("inputs not started").contains("  outputs");
        List<String> lines = Files.readAllLines(tmp.resolve("out.ndjson"));
        assertThat(lines).hasSizeGreaterThanOrEqualTo(16).hasSizeLessThan(100000);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertThat(json.readTree(line).get("path").asText()).startsWith("/items/");
        }
        long inputs = Long.parseLong(stderr.replaceAll("(?s).*?(\\d+) inputs -> .*", "$1"));
        assertThat(lines).as(stderr).hasSize((int) inputs);
    }

    @Test
    void secondSignalCutsInFlightItemsAndStillClosesTheFile() throws Exception {
        Process process = sluice(pipeline(), "--no-progress", "--grace", "10m");
        assertThat(twentyRequests.await(90, TimeUnit.SECONDS)).isTrue();

        process.destroy();
        process.destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited without waiting for the 10m grace").isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(tmp.resolve("out.ndjson"))) {
            assertThat(json.readTree(line).has("path")).isTrue();
        }
    }
}
