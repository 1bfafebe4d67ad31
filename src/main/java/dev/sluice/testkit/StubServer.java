package dev.sluice.testkit;

import dev.sluice.fetch.InMemoryHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A real Reactor Netty HTTP server on {@code 127.0.0.1}, port 0, for tests: routes by path (and
 * optionally by {@code Host}), scripted reply sequences, faults, and a log of the requests it saw.
 *
 * <pre>{@code
 * @RegisterExtension static final StubServer stub = StubServer.start();
 *
 * stub.on("/flaky").respond(503, 503, 200);          // then 200 for every later request
 * stub.on("/a.json").respond(Reply.json("{\"id\":1}"));
 * }</pre>
 *
 * <p>Registered as a static JUnit 5 extension, routes and the log are cleared before each test and
 * the server is closed after all of them; outside JUnit, {@link #reset()} and {@link #close()} do
 * the same. A request for which no route matches gets a 404 whose body names the stubbed paths.
 *
 * <p>The server runs on its own event loops and timer (delays, trickles and resets use real time,
 * even inside {@code StepVerifier.withVirtualTime}), so it neither starves nor is starved by the
 * client under test. It is thread-safe. A {@link PipelineTester#inMemory() in-memory} run uses the
 * same routes and log without the socket, on Reactor's (possibly virtual) clock.
 */
public final class StubServer implements BeforeEachCallback, AfterAllCallback, AutoCloseable {

    private static final String ANY_HOST = "";

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<StubRequest> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger arrivals = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long epochNanos = System.nanoTime();
    private final ScheduledExecutorService timerThread;
    private final Scheduler timer;
    private final Responder responder;
    private final LoopResources loops;
    private final DisposableServer server;

    private StubServer() {
        timerThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-stub-timer");
            t.setDaemon(true);
            return t;
        });
        timer = Schedulers.fromExecutorService(timerThread, "sluice-stub-timer");
        responder = new Responder(timer);
        loops = LoopResources.create("sluice-stub", 2, true);
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    /**
     * Starts a server on {@code 127.0.0.1} and a free port.
     *
     * @return the running server
     */
    public static StubServer start() {
        return new StubServer();
    }

    /**
     * Returns the port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * Returns the server's base URL, without a trailing slash.
     *
     * @return e.g. {@code http://127.0.0.1:40123}
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * Returns the absolute URL of {@code path} on this server.
     *
     * @param path a path starting with {@code /}
     * @return e.g. {@code http://127.0.0.1:40123/a.json}
     */
    public String url(String path) {
        return baseUrl() + path;
    }

    /**
     * Returns where a request for {@code original} goes on this server: the same path and query on
     * {@code 127.0.0.1} and this server's port. {@link PipelineTester} maps hosts with it.
     *
     * @param original any absolute URL
     * @return the URL on this server
     */
    public URI redirect(URI original) {
        String path = original.getRawPath() == null || original.getRawPath().isEmpty() ? "/" : original.getRawPath();
        String query = original.getRawQuery() == null ? "" : "?" + original.getRawQuery();
        return URI.create(baseUrl() + path + query);
    }

    /**
     * Starts (or replaces) the route for {@code path} on any host. The path may carry a query, which
     * must then match exactly; otherwise the query is ignored when matching.
     *
     * @param path the path, e.g. {@code /items/1.json}
     * @return the route, to give its replies
     */
    public Route on(String path) {
        return on(ANY_HOST, path);
    }

    /**
     * Starts (or replaces) the route for {@code path} on one host, matched against the request's
     * {@code Host} header (the port is ignored unless {@code host} has one). Host routes win over
     * any-host routes. Pipelines reach a host route through URL rewriting, which keeps the original
     * {@code Host}.
     *
     * @param host the host name, e.g. {@code api.example.com}
     * @param path the path
     * @return the route
     */
    public Route on(String host, String path) {
        Objects.requireNonNull(host, "host");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        Route route = new Route(this, lower, path);
        routes.put(key(lower, path), route);
        return route;
    }

    /**
     * Returns every request received so far, in arrival order.
     *
     * @return a snapshot of the request log
     */
    public List<StubRequest> requests() {
        List<StubRequest> sorted = new ArrayList<>(log);
        sorted.sort(Comparator.comparingInt(StubRequest::index));
        return List.copyOf(sorted);
    }

    /**
     * Returns the requests for {@code path} (query ignored unless given), in arrival order.
     *
     * @param path the path
     * @return a snapshot of the matching requests
     */
    public List<StubRequest> requests(String path) {
        return requests().stream().filter(r -> matches(path, r.path())).collect(Collectors.toList());
    }

    /**
     * Returns the paths requested so far, in arrival order.
     *
     * @return e.g. {@code [/flaky, /flaky, /flaky]}
     */
    public List<String> paths() {
        return requests().stream().map(StubRequest::path).collect(Collectors.toList());
    }

    /**
     * Returns the largest number of requests that were in flight at once. A request counts from its
     * arrival until its response starts (after any {@link Reply#delayed delay}) or its connection
     * closes, so a client cannot have seen a response that is still counted: the number never
     * over-counts a client's concurrency.
     *
     * @return the peak concurrency seen since the start or the last reset
     */
    public int maxConcurrency() {
        return maxInFlight.get();
    }

    /**
     * Forgets every route and the request log, and restarts the arrival clock.
     *
     * @return this server
     */
    public StubServer reset() {
        routes.clear();
        log.clear();
        arrivals.set(0);
        maxInFlight.set(0);
        epochNanos = System.nanoTime();
        return this;
    }

    /** Stops the server, waiting up to 5 seconds: call it from a test or the CLI, not from a reactive operator. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.dispose();
        timer.dispose();
        timerThread.shutdownNow();
    }

    /** Clears routes and the log before each test. */
    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    /** Closes the server after all tests. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Answers a request of an in-memory run (see {@link PipelineTester#inMemory()}) from the routes,
     * without a socket, and logs it with {@code arrival}, the run's (virtual) time.
     */
    Mono<InMemoryHttp.Response> answer(InMemoryHttp.Request request, Duration arrival) {
        return Mono.defer(() -> {
            Arrival a = arrive();
            String host = request.headers().getOrDefault("host", "");
            String uri = redirect(request.url()).getRawPath()
                    + (request.url().getRawQuery() == null ? "" : "?" + request.url().getRawQuery());
            log.add(new StubRequest(a.index(), request.method(), host, uri, request.headers(), request.body(),
                    arrival, a.inFlight()));
            return MemoryReplies.of(next(host, uri), a.answered()).doFinally(signal -> a.answered().run());
        });
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Arrival a = arrive();
        Duration arrival = Duration.ofNanos(System.nanoTime() - epochNanos);
        String host = request.requestHeaders().get("host", "");
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .doOnNext(body -> log.add(seen(a.index(), request, host, body, arrival, a.inFlight())))
                .then(Mono.defer(() -> responder.send(next(host, request.uri()), response, a.answered())))
                .doFinally(signal -> a.answered().run());
    }

    /**
     * A request that arrived: its index, the requests in flight counting it, and what to run (once)
     * when its response starts or it ends without one.
     */
    private record Arrival(int index, int inFlight, Runnable answered) {}

    private Arrival arrive() {
        int index = arrivals.getAndIncrement();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        return new Arrival(index, now, () -> {
            if (answered.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        });
    }

    private static StubRequest seen(int index, HttpServerRequest request, String host, String body,
            Duration arrival, int now) {
        Map<String, String> headers = new HashMap<>();
        request.requestHeaders().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return new StubRequest(index, request.method().name(), host, request.uri(), headers, body, arrival, now);
    }

    private Reply next(String hostHeader, String uri) {
        String host = hostHeader.toLowerCase(Locale.ROOT);
        String bareHost = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        for (String key : List.of(key(host, uri), key(bareHost, uri), key(host, path), key(bareHost, path),
                key(ANY_HOST, uri), key(ANY_HOST, path))) {
            Route route = routes.get(key);
            if (route != null) {
                return route.next();
            }
        }
        return Reply.text("no stub for " + uri + (host.isEmpty() ? "" : " on " + host) + "; stubbed: "
                + routes.values().stream().map(Route::toString).sorted().collect(Collectors.joining(", ")))
                .withStatus(404);
    }

    private static boolean matches(String wanted, String seen) {
        return wanted.contains("?") ? wanted.equals(seen) : wanted.equals(seen.replaceFirst("\\?.*$", ""));
    }

    private static String key(String host, String path) {
        return host + " " + path;
    }
}
