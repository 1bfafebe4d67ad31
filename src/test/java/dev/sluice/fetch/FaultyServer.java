package dev.sluice.fetch;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * that {@code LocalHttpServer} lacks: resets mid-body, trickled, huge and endless bodies, gzip bombs,
 * redirects, bursts of server errors and keep-alive connections closed under the client, plus a log of
 * requests (method, path, host, headers, body) and the peak number of requests in flight per
 * {@code Host} header. Reachable as {@code 127.0.0.1} and {@code localhost}, which the client pools
 * separately.
 *
 * <p>Bursts and closed keep-alive connections hit whichever requests come next, not one path. So
 * that a test still knows what becomes of each input, they only hit paths marked {@link #sturdy},
 * each at most once, and {@link #collateral} says which were hit.
 */
final class FaultyServer implements BeforeEachCallback, AfterAllCallback {

    /** One scripted answer. */
    sealed interface Answer permits Respond, Slow, Reset, ResetMidBody, ResetAfter, Stall, Trickle, Lines, Huge,
            Endless, Gzip, Gated, KeepAliveClose, Burst {}

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

    /** Sends the headers, then {@code count} NDJSON lines {@code {"n":0}} ... one every {@code every}, and ends. */
    record Lines(Duration every, int count) implements Answer {}

    /**
     * Sends a chunked body (no content-length) of {@code chunks} chunks of 8 KiB: a huge body whose
     * size the client only learns by reading it. Finite, so a cut-off exchange leaves no producer spinning.
     */
    record Huge(int chunks) implements Answer {}

    /** Sends a chunked body of 8 KiB chunks that never ends, made as fast as the client reads. */
    record Endless() implements Answer {}

    /**
     * Answers 200 with {@code body} and keeps the connection open, but closes it, unanswered, when the
     * next request to a {@link #sturdy} path arrives on it: a server closing an idle keep-alive
     * connection just as the client reuses it (Reactor Netty's {@code PrematureCloseException ...
     * BEFORE response}).
     */
    record KeepAliveClose(String body) implements Answer {}

    /**
     * Answers {@code status}, and so do the next {@code requests} requests to {@link #sturdy} paths
     * (each path at most once): a burst of server errors across paths.
     */
    record Burst(int requests, int status) implements Answer {}

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

    /** Marks a connection that a {@link KeepAliveClose} answer was sent on. */
    private static final AttributeKey<Boolean> DOOMED = AttributeKey.valueOf("faulty-server.doomed");

    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Set<String> sturdy = ConcurrentHashMap.newKeySet();
    private final Map<String, String> collateral = new ConcurrentHashMap<>();
    private final AtomicInteger burstLeft = new AtomicInteger();
    private final AtomicInteger burstStatus = new AtomicInteger(503);
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

    /**
     * Lets bursts and closed keep-alive connections hit {@code path}, at most once: a path whose
     * script can absorb one more failed attempt within the retry budget.
     */
    FaultyServer sturdy(String path) {
        sturdy.add(path);
        return this;
    }

    /** The sturdy paths that a burst or a closed keep-alive connection hit, each with what hit it. */
    Map<String, String> collateral() {
        return Map.copyOf(collateral);
    }

    /** What is left of the script of {@code path}, then its route, for a failure message. */
    String describe(String path) {
        Deque<Answer> script = scripts.get(path);
        return (script == null ? "[]" : script.toString()) + " then " + routes.get(path);
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
        sturdy.clear();
        collateral.clear();
        burstLeft.set(0);
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
        Mono<Void> hit = collateral(request.uri(), response);
        if (hit != null) {
            return hit;
        }
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

    /**
     * Closes a doomed keep-alive connection, or answers from a burst, when they may hit {@code path}
     * (sturdy and not hit before); null otherwise. Such requests are not logged in {@link #seen()}.
     */
    private Mono<Void> collateral(String path, HttpServerResponse response) {
        Channel channel = channel(response);
        if (channel.hasAttr(DOOMED) && sturdy.contains(path)
                && collateral.putIfAbsent(path, "keep-alive closed") == null) {
            channel.close();
            return Mono.never();
        }
        if (burstLeft.get() > 0 && sturdy.contains(path) && !collateral.containsKey(path)
                && burstLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 && collateral.putIfAbsent(path, "burst") == null) {
            return response.status(burstStatus.get()).sendString(Mono.just("burst")).then();
        }
        return null;
    }

    private static Channel channel(HttpServerResponse response) {
        AtomicReference<Channel> channel = new AtomicReference<>();
        response.withConnection(c -> channel.set(c.channel()));
        return channel.get();
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
            // Dropping ticks the connection cannot take yet: an overflowing interval would error and
            // reset the connection, turning a trickle into a reset on a loaded machine.
            return response.sendString(Flux.interval(t.every()).onBackpressureDrop().map(i -> "x")).then();
        }
        if (answer instanceof Lines l) {
            return response.sendString(Flux.interval(l.every()).onBackpressureBuffer().take(l.count())
                    .map(i -> "{\"n\":" + i + "}\n")).then();
        }
        if (answer instanceof Endless) {
            // One chunk per millisecond, never ending: a synchronous endless source would spin the
            // server's event loop when the client closes the connection, stalling every other answer.
            byte[] chunk = new byte[8192];
            return response.sendByteArray(Flux.interval(Duration.ofMillis(1)).onBackpressureDrop().map(i -> chunk))
                    .then();
        }
        if (answer instanceof KeepAliveClose k) {
            channel(response).attr(DOOMED).set(Boolean.TRUE);
            return answer(new Respond(200, k.body()), response);
        }
        if (answer instanceof Burst b) {
            burstStatus.set(b.status());
            burstLeft.set(b.requests());
            return answer(new Respond(b.status(), "burst"), response);
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
