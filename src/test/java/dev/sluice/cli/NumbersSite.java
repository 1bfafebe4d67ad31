package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A loopback site for resume tests, and the pipeline that reads it. Item {@code n} is a 404 when
 * {@code n % 17 == 0} (a dead letter), is filtered by the pipeline when {@code n % 13 == 0}, and
 * otherwise explodes into two outputs, {@code {"n": n, "part": 0}} and {@code {"n": n, "part": 1}}.
 * {@link #check} tells whether every input is accounted for and counts duplicates.
 */
final class NumbersSite implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DisposableServer server;
    private final AtomicLong requests = new AtomicLong();

    NumbersSite(Duration delay) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    requests.incrementAndGet();
                    long n = Long.parseLong(req.uri().substring(req.uri().lastIndexOf('/') + 1));
                    Mono<Long> wait = delay.isZero() ? Mono.just(0L) : Mono.delay(delay, Schedulers.parallel());
                    return wait.then(n % 17 == 0
                            ? res.status(HttpResponseStatus.NOT_FOUND).send().then()
                            : res.status(HttpResponseStatus.OK).sendString(Mono.just(
                                    "{\"n\":" + n + ",\"parts\":[{\"n\":" + n + ",\"part\":0},{\"n\":" + n
                                            + ",\"part\":1}]}")).then());
                })
                .bindNow();
    }

    long requests() {
        return requests.get();
    }

    /** The URL of input {@code n}. */
    String url(long n) {
        return "http://127.0.0.1:" + server.port() + "/items/" + n;
    }

    /** Writes the pipeline over inputs 1..n to {@code dir}/numbers.yaml, writing into {@code dir}. */
    Path pipeline(Path dir, long n) throws IOException {
        return pipeline(dir, n, "");
    }

    /** As {@link #pipeline(Path, long)}, with {@code lastStep} (one YAML list entry, or empty) after the explode. */
    Path pipeline(Path dir, long n, String lastStep) throws IOException {
        Path file = dir.resolve("numbers.yaml");
        Files.writeString(file, """
                source:
                  range: { template: 'http://127.0.0.1:%d/items/{n}', from: 1, to: %d }
                steps:
                  - fetch: { concurrency: 8 }
                  - parse: json
                  - filter: '.n %% 13 != 0'
                  - explode: '.parts[]'
                %s
                sink:
                  file: { path: '%s' }
                dead_letter:
                  file: { path: '%s' }
                """.formatted(server.port(), n, lastStep, dir.resolve("out.ndjson"), dir.resolve("errors.ndjson")));
        return file;
    }

    /**
     * What the output and dead-letter files of a run over 1..n hold.
     *
     * @param missing inputs neither output (both parts) nor dead-lettered nor filtered
     * @param duplicates lines beyond the first for the same output or dead letter
     * @param lines all lines
     */
    record Check(List<Long> missing, long duplicates, long lines) {}

    static Check check(Path dir, long n) throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        long lines = 0;
        for (String line : Files.readAllLines(dir.resolve("out.ndjson"))) {
            JsonNode node = parse(line);
            seen.merge(node.get("n").asLong() + "/" + node.get("part").asInt(), 1, Integer::sum);
            lines++;
        }
        Path errors = dir.resolve("errors.ndjson");
        for (String line : Files.exists(errors) ? Files.readAllLines(errors) : List.<String>of()) {
            JsonNode node = parse(line);
            seen.merge(node.path("origin").path("line").asLong() + "/dead", 1, Integer::sum);
            lines++;
        }
        List<Long> missing = new java.util.ArrayList<>();
        for (long i = 1; i <= n; i++) {
            boolean ok = i % 17 == 0 ? seen.containsKey(i + "/dead")
                    : i % 13 == 0 || seen.containsKey(i + "/0") && seen.containsKey(i + "/1");
            if (!ok) {
                missing.add(i);
            }
        }
        long duplicates = seen.values().stream().mapToLong(c -> c - 1).sum();
        return new Check(missing, duplicates, lines);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a whole JSON line: " + line, e);
        }
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
