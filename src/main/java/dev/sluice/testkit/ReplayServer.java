package dev.sluice.testkit;

import dev.sluice.IoReason;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * Serves the exchanges a {@link Recorder} saved, from a loopback server, so a run replays them
 * through the real HTTP client and nothing leaves the machine.
 *
 * <pre>{@code
 * try (ReplayServer replay = ReplayServer.load(Path.of("recordings"))) {
 *     Mono<RunReport> run = pipeline.run(new RunContext().rewriteUrls(replay.rewrite()));
 * }
 * }</pre>
 *
 * <p>Requests match recordings on method and URL (secret query parameters redacted on both sides).
 * Several recordings of one request are served in recording order, the last one repeating, so a
 * recorded {@code 503, 200} retry replays the same way. A request with no recording is answered
 * {@value #MISS_STATUS} with header {@code x-sluice-replay: miss} and a body naming the request and
 * the closest recording; {@link #misses()} lists them for the report.
 */
public final class ReplayServer implements AutoCloseable {

    /** The status of a request that has no recording. */
    public static final int MISS_STATUS = 404;

    private final Map<String, List<RecordedExchange>> recordings;
    private final Map<String, Integer> served = new LinkedHashMap<>();
    private final Map<String, String> files;
    private final List<String> misses = new CopyOnWriteArrayList<>();
    private final LoopResources loops = LoopResources.create("sluice-replay", 1, true);
    private final DisposableServer server;

    private ReplayServer(Map<String, List<RecordedExchange>> recordings, Map<String, String> files) {
        this.recordings = recordings;
        this.files = files;
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    /**
     * Reads every {@code *.http} recording in {@code dir} (on the calling thread) and starts serving them.
     *
     * @param dir the recordings directory
     * @return the running server
     * @throws UncheckedIOException when the directory cannot be read
     * @throws IllegalArgumentException when a file is not a recording, naming it
     */
    public static ReplayServer load(Path dir) {
        Map<String, List<RecordedExchange>> recordings = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(p -> p.toString().endsWith(".http")).sorted().collect(Collectors.toList())) {
                RecordedExchange exchange = RecordedExchange.read(file);
                recordings.computeIfAbsent(exchange.key(), k -> new ArrayList<>()).add(exchange);
                files.putIfAbsent(exchange.key(), file.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recordings in " + dir + ": " + IoReason.of(e), e);
        }
        return new ReplayServer(recordings, files);
    }

    /**
     * Returns the rewrite that sends a run's requests to this server; give it to
     * {@link dev.sluice.RunContext#rewriteUrls}.
     *
     * @return maps an original URL to its address here
     */
    public UnaryOperator<URI> rewrite() {
        return uri -> Loopback.encode(server.port(), uri);
    }

    /**
     * Returns the requests that had no recording, each as
     * {@code GET https://... (closest recording: GET https://... in 0003-GET-....http)}.
     *
     * @return a snapshot, in arrival order
     */
    public List<String> misses() {
        return List.copyOf(misses);
    }

    /** Stops the server, waiting up to 5 seconds: call it from a test or the CLI. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.dispose();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        URI original = Loopback.decode(request.uri());
        String key = request.method().name() + " " + (original == null ? request.uri() : RecordedExchange.redactUrl(original));
        return request.receive().then().then(Mono.defer(() -> {
            RecordedExchange exchange = next(key);
            return exchange == null ? miss(key, response) : serve(exchange, response);
        }));
    }

    private synchronized RecordedExchange next(String key) {
        List<RecordedExchange> list = recordings.get(key);
        if (list == null) {
            return null;
        }
        int n = served.merge(key, 1, Integer::sum) - 1;
        return list.get(Math.min(n, list.size() - 1));
    }

    private Mono<Void> miss(String key, HttpServerResponse response) {
        String message = key + " has no recording" + closest(key);
        misses.add(message);
        return response.status(HttpResponseStatus.valueOf(MISS_STATUS)).header("x-sluice-replay", "miss")
                .sendString(Mono.just(message)).then();
    }

    private String closest(String key) {
        return recordings.keySet().stream()
                .max(Comparator.comparingInt((String k) -> commonPrefix(k, key)).thenComparingInt(k -> -Math.abs(k.length() - key.length())))
                .map(k -> " (closest recording: " + k + " in " + files.get(k) + ")")
                .orElse(" (there are no recordings)");
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    private static Mono<Void> serve(RecordedExchange exchange, HttpServerResponse response) {
        response.status(HttpResponseStatus.valueOf(exchange.status()));
        exchange.responseHeaders().forEach(h -> response.addHeader(h.getKey(), h.getValue()));
        response.header("content-length", Integer.toString(exchange.body().length));
        return response.sendByteArray(Mono.just(exchange.body())).then();
    }
}
