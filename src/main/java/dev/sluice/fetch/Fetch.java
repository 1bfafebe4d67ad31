package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * Fetches the URL each item names with an HTTP GET and replaces the item's value with the response
 * body. This class is both the factory and the stage: it is immutable, and each {@code withX}-style
 * method returns a new stage.
 *
 * <pre>{@code
 * Pipeline.from(source).then(Fetch.get().concurrency(32).timeout(Duration.ofSeconds(5)))
 * }</pre>
 *
 * <p><b>Which URL.</b> An item whose value is a JSON string is fetched at that string; an object is
 * fetched at its {@code url} field. The URL must be an absolute {@code http} or {@code https} URL
 * with a host.
 *
 * <p><b>Result.</b> A response with a status below 400 becomes the item's new value, as a JSON
 * string holding the body decoded as UTF-8 (a parse stage turns it into JSON); the metadata records
 * the URL, status, attempts (1), elapsed time and the {@code content-type}, {@code content-length},
 * {@code etag}, {@code last-modified} and {@code link} headers when present. Redirects are not
 * followed and gzip responses are decompressed. The body is read in full inside the stage: no
 * buffer escapes it.
 *
 * <p><b>Failures.</b> Per-item problems never error the stream; the item fails with stage
 * {@code "fetch"} and a message naming the URL:
 * <ul>
 *   <li>{@link Reason#INVALID_URL}: no string value or {@code url} field, or not an absolute
 *       http(s) URL with a host; no request is sent (attempts 0);
 *   <li>{@link Reason#HTTP_STATUS}: the status is 400 or more ({@code GET <url> returned 404 Not
 *       Found}); the body is still read so the connection can be reused;
 *   <li>{@link Reason#CONNECT}: the connection could not be established (refused, unknown host,
 *       connect timeout, TLS handshake, no pooled connection);
 *   <li>{@link Reason#TIMEOUT}: no complete response within the {@linkplain FetchOptions#timeout()
 *       timeout}, a total deadline from the start of the request to the last body byte;
 *   <li>{@link Reason#RESET}: the connection was closed or reset before the response was complete.
 *       Errors of unknown kind also count as RESET, since they arise once a connection is open.
 * </ul>
 * Items that failed in an earlier stage pass through untouched and take no request slot. Requests
 * are not retried. Each request counts once in the run's {@code requests}, whether or not it
 * reaches the server; body bytes (after decompression) count in {@code bytes_in}.
 *
 * <p><b>Defaults.</b> See {@link FetchOptions#DEFAULTS}: concurrency 16, timeout 30 s, connect
 * timeout 10 s, no extra headers.
 *
 * <p><b>Concurrency and order.</b> At most {@code concurrency} requests are in flight per
 * subscription; items leave in completion order, not input order. Demand is honoured: the stage
 * requests at most {@code concurrency} items ahead of what downstream consumes.
 *
 * <p><b>Resources.</b> All fetch stages of a run share one Reactor Netty client and one connection
 * pool, created on the first subscription and disposed when the run ends. Used outside a
 * {@link dev.sluice.Pipeline}, each subscription is a run of its own.
 *
 * <p><b>Threads.</b> The stage does not switch schedulers: fetched items are emitted on Reactor
 * Netty event-loop threads (on a {@code parallel} thread when a deadline fires), and items it does
 * not fetch on the thread that delivered them.
 */
public final class Fetch implements Stage {

    private final FetchOptions options;

    private Fetch(FetchOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Creates a GET stage with {@link FetchOptions#DEFAULTS}.
     *
     * @return a new {@code Fetch}
     */
    public static Fetch get() {
        return new Fetch(FetchOptions.DEFAULTS);
    }

    /**
     * Creates a GET stage with the given options.
     *
     * @param options the options
     * @return a new {@code Fetch}
     */
    public static Fetch get(FetchOptions options) {
        return new Fetch(options);
    }

    /**
     * Returns this stage with another maximum number of requests in flight.
     *
     * @param n at least 1
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code n} is less than 1
     */
    public Fetch concurrency(int n) {
        return new Fetch(options.withConcurrency(n));
    }

    /**
     * Returns this stage with another total deadline per request.
     *
     * @param d positive
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Fetch timeout(Duration d) {
        return new Fetch(options.withTimeout(d));
    }

    /**
     * Returns this stage with another connect timeout.
     *
     * @param d positive
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Fetch connectTimeout(Duration d) {
        return new Fetch(options.withConnectTimeout(d));
    }

    /**
     * Returns this stage with one more request header, replacing a header of the same name.
     *
     * @param name the header name, not blank
     * @param value the value
     * @return a new {@code Fetch}
     */
    public Fetch header(String name, String value) {
        return new Fetch(options.withHeader(name, value));
    }

    /**
     * Returns the options.
     *
     * @return the options
     */
    public FetchOptions options() {
        return options;
    }

    /**
     * Fetches every good item; see the class description for results, failures, concurrency and
     * threads. Nothing happens until subscription.
     *
     * @param items the items, good or failed
     * @return a cold flux of fetched and failed items, one per input item, in completion order
     */
    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> HttpFetcher.forRun(run, options).fetchAll(items)).checkpoint("fetch");
    }

    @Override
    public String toString() {
        return "Fetch.get(" + options + ")";
    }
}
