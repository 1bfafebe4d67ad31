package dev.sluice.testkit;

import dev.sluice.IoReason;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Records the HTTP exchanges of a run as readable files: a loopback proxy that forwards each request
 * to its original URL, answers with the real response, and saves the exchange as
 * {@code NNNN-METHOD-host-path.http} in a directory (format: request line, selected request headers,
 * status, response headers, body; credentials, cookies and secret-looking query parameters redacted).
 *
 * <pre>{@code
 * try (Recorder recorder = Recorder.start(Path.of("recordings"))) {
 *     Mono<RunReport> run = pipeline.run(new RunContext().rewriteUrls(recorder.rewrite()));
 * }
 * }</pre>
 *
 * <p>Bodies are buffered in memory (at most {@value #MAX_BODY} bytes each) and written on
 * {@code boundedElastic}; responses are decompressed before they are saved and relayed. A request
 * that cannot be forwarded is answered 502, naming the cause, and is not recorded.
 */
public final class Recorder implements AutoCloseable {

    /** The largest body recorded, in bytes. */
    public static final int MAX_BODY = 16 * 1024 * 1024;

    private final Path dir;
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger recorded = new AtomicInteger();
    private final ConnectionProvider pool = ConnectionProvider.create("sluice-recorder", 64);
    private final HttpClient client = HttpClient.create(pool).compress(true).disableRetry(true)
            .responseTimeout(Duration.ofSeconds(60));
    private final LoopResources loops = LoopResources.create("sluice-recorder", 1, true);
    private final DisposableServer server;

    private Recorder(Path dir) {
        this.dir = dir;
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    /**
     * Starts a recorder saving into {@code dir} (created if missing, on the calling thread).
     *
     * @param dir the recordings directory
     * @return the running recorder
     * @throws UncheckedIOException when the directory cannot be created
     */
    public static Recorder start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create recordings directory " + dir + ": " + IoReason.of(e), e);
        }
        return new Recorder(dir);
    }

    /**
     * Returns the rewrite that sends a run's requests through this recorder; give it to
     * {@link dev.sluice.RunContext#rewriteUrls}.
     *
     * @return maps an original URL to its address on the recorder
     */
    public UnaryOperator<URI> rewrite() {
        return uri -> Loopback.encode(server.port(), uri);
    }

    /**
     * Returns how many exchanges were saved so far.
     *
     * @return the count
     */
    public int recorded() {
        return recorded.get();
    }

    /** Stops the recorder, waiting up to 5 seconds: call it from a test or the CLI. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        pool.dispose();
        loops.dispose();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        URI original = Loopback.decode(request.uri());
        if (original == null) {
            return response.status(HttpResponseStatus.BAD_REQUEST)
                    .sendString(Mono.just("expected /scheme/host/path, got " + request.uri())).then();
        }
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .flatMap(body -> forward(request.method(), original, request, body))
                .flatMap(exchange -> save(exchange).thenReturn(exchange))
                .flatMap(exchange -> relay(exchange, response))
                .onErrorResume(e -> response.status(HttpResponseStatus.BAD_GATEWAY)
                        .sendString(Mono.just("recorder could not forward to " + original + ": " + e)).then());
    }

    private Mono<RecordedExchange> forward(HttpMethod method, URI original, HttpServerRequest request, byte[] body) {
        List<Map.Entry<String, String>> sent = RecordedExchange.requestHeaders(request.requestHeaders());
        return client.headers(h -> request.requestHeaders().forEach(e -> {
                    String name = e.getKey().toLowerCase(Locale.ROOT);
                    if (!name.equals("host") && !name.equals("accept-encoding") && !name.equals("content-length")) {
                        h.add(e.getKey(), e.getValue());
                    }
                }))
                .request(method)
                .uri(original)
                .send((req, out) -> out.sendByteArray(Mono.just(body)))
                .responseSingle((res, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
                        .filter(bytes -> bytes.length <= MAX_BODY)
                        .switchIfEmpty(Mono.error(new IllegalStateException("body over " + MAX_BODY + " bytes")))
                        .map(bytes -> new RecordedExchange(method.name(), RecordedExchange.redactUrl(original),
                                sent, res.status().code(),
                                RecordedExchange.responseHeaders(res.responseHeaders()), bytes)));
    }

    private Mono<Void> save(RecordedExchange exchange) {
        int n = sequence.incrementAndGet();
        Path file = dir.resolve(String.format(Locale.ROOT, "%04d-%s-%s.http", n, exchange.method(), slug(exchange.url())));
        return Mono.fromRunnable(() -> {
            exchange.write(file);
            recorded.incrementAndGet();
        }).subscribeOn(Schedulers.boundedElastic()).then();
    }

    private static Mono<Void> relay(RecordedExchange exchange, HttpServerResponse response) {
        response.status(HttpResponseStatus.valueOf(exchange.status()));
        exchange.responseHeaders().forEach(h -> response.addHeader(h.getKey(), h.getValue()));
        response.header("content-length", Integer.toString(exchange.body().length));
        return response.sendByteArray(Mono.just(exchange.body())).then();
    }

    static String slug(String url) {
        String s = url.replaceFirst("^https?://", "").replaceAll("\\?.*$", "").replaceAll("[^A-Za-z0-9._-]+", "-");
        s = s.replaceAll("-+$", "");
        return s.length() > 80 ? s.substring(0, 80) : s;
    }
}
