package dev.sluice.fetch;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A scripted Reactor Netty server on 127.0.0.1, port 0, with the faults the fetch stage must survive
 * that {@code LocalHttpServer} lacks: resets mid-body, trickled and endless bodies, gzip bombs and
 * redirects, plus a log of requests (method, path, host, headers, body) and the peak number of
 * requests in flight per {@code Host} header. Reachable as {@code 127.0.0.1} and {@code localhost},
 * which the client pools separately.
 */
final class FaultyServer implements BeforeEachCallback, AfterAllCallback {

    /** One scripted answer. */
    sealed interface Answer permits Respond, Slow, Reset, ResetMidBody, ResetAfter, Stall, Trickle, Huge, Gzip, Gated {}

    /** Answers with a status, headers and a body. */
    record Respond(int status, Map<String, String> headers, String body) implements Answer {
        Respond(int status, String body) {
            this(status, Map.of(), body);
        }
    }

    /** Answers 200 with {@code body} after {@code delay}. */
    record Slow(Duration delay, String body) implements Answer {}

    /** Closes the connection without answering. */
    record Reset() implements Answer {}

    /** Sends the headers (announcing 1000 bytes) and a few body bytes, then closes the connection. */
    record ResetMidBody() implements Answer {}

    /** Sends the headers (announcing more), then {@code sent}, then closes the connection. */
    record ResetAfter(String sent) implements Answer {}

    /** Never answers. */
    record Stall() implements Answer {}

    /** Sends the headers, then one byte every {@code every}, forever. */
    record Trickle(Duration every) implements Answer {}

    /**
     * Sends a chunked body (no content-length) of {@code chunks} chunks of 8 KiB: a huge body whose
     * size the client only learns by reading it. Finite, so a cut-off exchange leaves no producer spinning.
     */
    record Huge(int chunks) implements Answer {}

    /** Sends {@code compressed} with {@code content-encoding: gzip}; make one with {@link #of(byte[])}. */
    record Gzip(byte[] compressed) implements Answer {
        static Gzip of(byte[] plain) {
            return new Gzip(gzip(plain));
        }
    }

    /** Sends the headers and {@code first}, then {@code rest} once {@code gate} completes. */
    record Gated(String first, Mono<Void> gate, String rest) implements Answer {}

    /** What the server saw of one request. */
    record Seen(String method, String path, String host, Map<String, String> headers, String body) {}

    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final LoopResources loops = LoopResources.create("faulty-server", 2, true);
    private final DisposableServer server;

    private FaultyServer() {
        // its own event loops, so a busy server does not starve the client under test, nor the reverse
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    static FaultyServer start() {
        return new FaultyServer();
    }

    /** {@code http://127.0.0.1:port/path}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** The same server under another pool key: {@code http://localhost:port/path}. */
    String otherHostUrl(String path) {
        return "http://localhost:" + server.port() + path;
    }

    FaultyServer route(String path, Answer answer) {
        routes.put(path, answer);
        return this;
    }

    FaultyServer script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<String> paths() {
        return seen.stream().map(Seen::path).collect(Collectors.toList());
    }

    /** The peak number of requests in flight with this {@code Host} header, e.g. {@code 127.0.0.1:4711}. */
    int maxInFlight(String host) {
        AtomicInteger max = maxInFlight.get(host);
        return max == null ? 0 : max.get();
    }

    String hostHeader() {
        return "127.0.0.1:" + server.port();
    }

    String otherHostHeader() {
        return "localhost:" + server.port();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        scripts.clear();
        routes.clear();
        seen.clear();
        inFlight.clear();
        maxInFlight.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater().block(Duration.ofSeconds(5));
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String host = request.requestHeaders().get("host", "");
        int now = inFlight.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(host, h -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                inFlight.get(host).decrementAndGet();
            }
        };
        return request.receive().asString(StandardCharsets.UTF_8).collect(Collectors.joining())
                .doOnNext(body -> seen.add(seen(request, host, body)))
                .then(Mono.defer(() -> answer(next(request.uri()), response, release)))
                .doFinally(s -> release.run());
    }

    private static Seen seen(HttpServerRequest request, String host, String body) {
        Map<String, String> headers = new ConcurrentHashMap<>();
        request.requestHeaders().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return new Seen(request.method().name(), request.uri(), host, headers, body);
    }

    private Answer next(String path) {
        Deque<Answer> script = scripts.get(path);
        if (script != null) {
            synchronized (script) {
                Answer a = script.poll();
                if (a != null) {
                    return a;
                }
            }
        }
        return routes.getOrDefault(path, new Respond(404, "not found: " + path));
    }

    /**
     * Answers; a slow answer stops counting as in flight once its delay is over and the response is
     * about to be written, because the client may reuse the connection before this handler finishes.
     */
    private Mono<Void> answer(Answer answer, HttpServerResponse response, Runnable release) {
        if (answer instanceof Slow slow) {
            return Mono.delay(slow.delay()).doOnNext(t -> release.run())
                    .then(answer(new Respond(200, slow.body()), response));
        }
        return answer(answer, response);
    }

    private Mono<Void> answer(Answer answer, HttpServerResponse response) {
        if (answer instanceof Respond r) {
            r.headers().forEach(response::header);
            return response.status(HttpResponseStatus.valueOf(r.status()))
                    .sendByteArray(Mono.just(r.body().getBytes(StandardCharsets.UTF_8)))
                    .then();
        }
        if (answer instanceof Slow slow) {
            return Mono.delay(slow.delay()).then(answer(new Respond(200, slow.body()), response));
        }
        if (answer instanceof Reset) {
            response.withConnection(c -> c.channel().close());
            return Mono.never();
        }
        if (answer instanceof ResetMidBody) {
            Mono<String> close = Mono.delay(Duration.ofMillis(20))
                    .then(Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close())));
            return response.header("content-length", "1000")
                    .sendString(Flux.just("partial").concatWith(close).concatWith(Mono.never()))
                    .then();
        }
        if (answer instanceof ResetAfter r) {
            Mono<String> close = Mono.delay(Duration.ofMillis(20))
                    .then(Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close())));
            return response.header("content-length", Integer.toString(r.sent().length() + 1000))
                    .sendString(Flux.just(r.sent()).concatWith(close).concatWith(Mono.never()))
                    .then();
        }
        if (answer instanceof Trickle t) {
            return response.sendString(Flux.interval(t.every()).map(i -> "x")).then();
        }
        if (answer instanceof Huge h) {
            byte[] chunk = new byte[8192];
            return response.sendByteArray(Flux.range(0, h.chunks()).map(i -> chunk)).then();
        }
        if (answer instanceof Gated g) {
            return response.sendString(Flux.concat(Mono.just(g.first()), g.gate().then(Mono.just(g.rest()))),
                    StandardCharsets.UTF_8).then();
        }
        if (answer instanceof Gzip g) {
            return response.header("content-encoding", "gzip").sendByteArray(Mono.just(g.compressed())).then();
        }
        return Mono.never();
    }
}
