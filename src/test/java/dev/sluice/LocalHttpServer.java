package dev.sluice;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * A real Reactor Netty HTTP server on 127.0.0.1, port 0, for tests: scripted responses per path, a
 * few faults, and a log of the requests it received. Register it with
 * {@code @RegisterExtension static final LocalHttpServer server = LocalHttpServer.start();}; routes
 * and the log are cleared before each test and the server is disposed after all of them.
 */
public final class LocalHttpServer implements BeforeEachCallback, AfterAllCallback {

    /** One scripted answer. */
    public sealed interface Answer permits Respond, Reset, Stall, Delayed {}

    /** Answers with a status, headers and a body. */
    public record Respond(int status, Map<String, String> headers, String body) implements Answer {}

    /** Closes the connection without answering. */
    public record Reset() implements Answer {}

    /** Never answers (until the client gives up). */
    public record Stall() implements Answer {}

    /** Answers after a delay. */
    public record Delayed(Duration delay, Respond answer) implements Answer {}

    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final DisposableServer server;

    private LocalHttpServer() {
        server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    /**
     * Starts a server.
     *
     * @return the running server
     */
    public static LocalHttpServer start() {
        return new LocalHttpServer();
    }

    /**
     * Returns the absolute URL of {@code path} on this server.
     *
     * @param path a path starting with {@code /}
     * @return e.g. {@code http://127.0.0.1:40123/a.json}
     */
    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /**
     * Returns the port.
     *
     * @return the bound port
     */
    public int port() {
        return server.port();
    }

    /**
     * Answers every request for {@code path} with {@code status} and {@code body}.
     *
     * @param path the path
     * @param status the status
     * @param body the body (UTF-8)
     * @return this server
     */
    public LocalHttpServer respond(String path, int status, String body) {
        return route(path, new Respond(status, Map.of("content-type", "application/json"), body));
    }

    /**
     * Answers every request for {@code path} with {@code answer}.
     *
     * @param path the path
     * @param answer the answer
     * @return this server
     */
    public LocalHttpServer route(String path, Answer answer) {
        routes.put(path, answer);
        return this;
    }

    /**
     * Answers the next requests for {@code path} with {@code answers} in order, then falls back to the
     * route (or 404).
     *
     * @param path the path
     * @param answers the answers, used once each
     * @return this server
     */
    public LocalHttpServer script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    /**
     * Fails the next {@code times} requests for {@code path} with {@code status}.
     *
     * @param path the path
     * @param status the error status
     * @param times how many times
     * @return this server
     */
    public LocalHttpServer failTimes(String path, int status, int times) {
        for (int i = 0; i < times; i++) {
            script(path, new Respond(status, Map.of(), "error " + status));
        }
        return this;
    }

    /**
     * Returns the paths (with query) requested so far, in arrival order.
     *
     * @return a snapshot of the request log
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * Returns the largest number of requests that were being answered at the same time.
     *
     * @return the peak concurrency seen
     */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        scripts.clear();
        routes.clear();
        requests.clear();
        maxInFlight.set(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.disposeNow(Duration.ofSeconds(5));
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String path = request.uri();
        requests.add(path);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        return request.receive().then()
                .then(Mono.defer(() -> answer(next(path), response)))
                .doFinally(s -> inFlight.decrementAndGet());
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
        return routes.getOrDefault(path, new Respond(404, Map.of(), "not found: " + path));
    }

    private Mono<Void> answer(Answer answer, HttpServerResponse response) {
        if (answer instanceof Respond r) {
            r.headers().forEach(response::header);
            return response.status(HttpResponseStatus.valueOf(r.status()))
                    .sendByteArray(Mono.just(r.body().getBytes(StandardCharsets.UTF_8)))
                    .then();
        }
        if (answer instanceof Delayed d) {
            return Mono.delay(d.delay()).then(answer(d.answer(), response));
        }
        if (answer instanceof Reset) {
            response.withConnection(c -> c.channel().close());
            return Mono.never();
        }
        return Flux.<Void>never().then();
    }
}
