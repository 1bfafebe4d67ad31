package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.jq.JqExpression;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * Fetches the URL each item names and replaces the item's value with the response body. This class
 * is both the factory and the stage: it is immutable, and each {@code withX}-style method returns a
 * new stage. Every setting is on {@link FetchOptions}.
 *
 * <pre>{@code
 * Pipeline.from(source).then(Fetch.get().concurrency(32).perHost(4).rate(RateLimit.parse("10/s")))
 * }</pre>
 *
 * <p><b>Which URL.</b> An item whose value is a JSON string is fetched at that string; an object is
 * fetched at its {@code url} field; with {@link #url(String)}, a jq template over the value gives
 * the URL instead. {@link #into(String)} merges the response into the item rather than replacing
 * the value, {@link #paginate(Pagination)} fetches every page of a collection, and
 * {@link #decodeWith(BodyDecoder)} emits values while the body streams in. The URL must be an absolute {@code http} or {@code https} URL
 * with a host. A {@linkplain FetchOptions#body() body template} takes its {@code {field}}s from the
 * object.
 *
 * <p><b>Result.</b> A response with a status below 400 becomes the item's new value, as a JSON
 * string holding the body decoded as UTF-8 (a parse stage turns it into JSON); the metadata records
 * the final URL (after redirects), status, attempts, elapsed time over all attempts and the
 * {@code content-type}, {@code content-length}, {@code etag}, {@code last-modified} and {@code link}
 * headers when present. Redirects (301, 302, 303, 307, 308) are followed up to
 * {@link FetchOptions#redirects()} hops; credentials go to the item's own scheme, host and port
 * only. gzip and deflate responses are decompressed. The body is read within the stage while it
 * arrives, counted after decompression and cut at {@link FetchOptions#maxBody()}: no buffer escapes.
 *
 * <p><b>Failures.</b> Per-item problems never error the stream; the item fails with stage
 * {@code "fetch"}, the attempts made and a message naming the method and URL (never credentials):
 * <ul>
 *   <li>{@link Reason#INVALID_URL}: no string value or {@code url} field, not an absolute http(s) URL
 *       with a host, a body template naming a missing field, or a redirect to such a URL;
 *   <li>{@link Reason#HTTP_STATUS}: the status is 400 or more ({@code GET <url> returned 404 Not
 *       Found}); the body is still read so the connection can be reused;
 *   <li>{@link Reason#CONNECT}: the connection could not be established (refused, unknown host,
 *       connect timeout, TLS handshake), or no pooled connection freed up within the pool timeout
 *       ({@code waited 60000ms for a connection to http://host:80});
 *   <li>{@link Reason#TIMEOUT}: no response headers or body data within the response timeout, or no
 *       complete response within the {@linkplain FetchOptions#timeout() timeout}, a total deadline
 *       per attempt from the request being sent to the last body byte;
 *   <li>{@link Reason#RESET}: the connection was closed or reset before the response was complete;
 *   <li>{@link Reason#TOO_LARGE}: the body (or its {@code content-length}) exceeds the maximum;
 *   <li>{@link Reason#TOO_MANY_REDIRECTS}: more redirects than allowed, or a redirect loop.
 * </ul>
 * Items that failed in an earlier stage pass through untouched and take no request slot.
 *
 * <p><b>Retries.</b> Connect errors, resets, timeouts and the {@linkplain RetryOptions#statuses()
 * retry statuses} are retried within the {@linkplain RetryOptions#attempts() attempt budget}, for
 * idempotent methods unless {@link RetryOptions#retryNonIdempotent()}; waits are exponential with
 * full jitter, or what {@code Retry-After} asks, capped. A 429 (or any {@code Retry-After}) also
 * holds back every other request to that host for the wait. An item that runs out of attempts fails
 * with the reason of its last attempt. Every request (each attempt and each redirect hop) counts in
 * the run's {@code requests}, every retry in {@code retries}, body bytes after decompression in
 * {@code bytes_in}.
 *
 * <p><b>Concurrency, rates and order.</b> At most {@code concurrency} items are in fetch per
 * subscription (waiting for a rate token or a retry counts), and at most {@code perHost}
 * connections per host ({@code scheme://host:port}) are open; requests beyond that wait for a pooled
 * connection, up to {@code poolTimeout}. Requests to a host then wait for a token of the host's
 * {@linkplain FetchOptions#rate() rate} and of the {@linkplain FetchOptions#globalRate() global
 * rate}: waiting is backpressure, nothing is dropped. Items leave in completion order, not input
 * order. Demand is honoured: the stage requests at most {@code concurrency} items ahead of what
 * downstream consumes.
 *
 * <p><b>Resources.</b> The fetch stages of a run with the same {@code perHost} and
 * {@code poolTimeout} share one Reactor Netty client and connection pool, created on the first
 * subscription and disposed when the run ends; idle connections are retired after 20 s and empty
 * per-host pools after 60 s. Used outside a {@link dev.sluice.Pipeline}, each subscription is a run
 * of its own.
 *
 * <p><b>Threads and time.</b> The stage does not switch schedulers: fetched items are emitted on
 * Reactor Netty event-loop threads (on a {@code parallel} thread when a deadline, retry wait or rate
 * wait ends), and items it does not fetch on the thread that delivered them. All waits use Reactor's
 * {@code parallel} scheduler, so virtual time controls them.
 */
public final class Fetch implements Stage {

    private final FetchOptions options;
    private final RequestPlan plan;

    private Fetch(FetchOptions options) {
        this(options, RequestPlan.NONE);
    }

    private Fetch(FetchOptions options, RequestPlan plan) {
        this.options = Objects.requireNonNull(options, "options");
        this.plan = plan;
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
     * Creates a GET stage with the given options (their method is replaced by GET; see
     * {@link #of(FetchOptions)}).
     *
     * @param options the options
     * @return a new {@code Fetch}
     */
    public static Fetch get(FetchOptions options) {
        return new Fetch(options.toBuilder().method(Method.GET).build());
    }

    /**
     * Creates a stage with the given options, whatever their method.
     *
     * @param options the options
     * @return a new {@code Fetch}
     */
    public static Fetch of(FetchOptions options) {
        return new Fetch(options);
    }

    /**
     * Creates a stage sending {@code method} with otherwise default options.
     *
     * @param method the method
     * @return a new {@code Fetch}
     */
    public static Fetch request(Method method) {
        return new Fetch(FetchOptions.builder().method(method).build());
    }

    /**
     * Returns this stage with another maximum number of requests in flight.
     *
     * @param n at least 1
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code n} is less than 1
     */
    public Fetch concurrency(int n) {
        return withOptions(options.withConcurrency(n));
    }

    /**
     * Returns this stage with another total deadline per attempt.
     *
     * @param d positive
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Fetch timeout(Duration d) {
        return withOptions(options.withTimeout(d));
    }

    /**
     * Returns this stage with another connect timeout.
     *
     * @param d positive
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Fetch connectTimeout(Duration d) {
        return withOptions(options.withConnectTimeout(d));
    }

    /**
     * Returns this stage with one more request header, replacing a header of the same name.
     *
     * @param name the header name, not blank
     * @param value the value
     * @return a new {@code Fetch}
     */
    public Fetch header(String name, String value) {
        return withOptions(options.withHeader(name, value));
    }

    /**
     * Returns this stage with another number of connections per host.
     *
     * @param n at least 1
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code n} is less than 1
     */
    public Fetch perHost(int n) {
        return with(b -> b.perHost(n));
    }

    /**
     * Returns this stage with another wait limit for response headers and between body reads.
     *
     * @param d positive
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Fetch responseTimeout(Duration d) {
        return with(b -> b.responseTimeout(d));
    }

    /**
     * Returns this stage with another request rate per host.
     *
     * @param rate the rate, e.g. {@code RateLimit.parse("10/s")}
     * @return a new {@code Fetch}
     */
    public Fetch rate(RateLimit rate) {
        return with(b -> b.rate(rate));
    }

    /**
     * Returns this stage with another request rate over all hosts.
     *
     * @param rate the rate
     * @return a new {@code Fetch}
     */
    public Fetch globalRate(RateLimit rate) {
        return with(b -> b.globalRate(rate));
    }

    /**
     * Returns this stage with other retry settings.
     *
     * @param retry the settings, e.g. {@code RetryOptions.NONE}
     * @return a new {@code Fetch}
     */
    public Fetch retry(RetryOptions retry) {
        return with(b -> b.retry(retry));
    }

    /**
     * Returns this stage with another largest body, counted after decompression.
     *
     * @param bytes at least 1
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code bytes} is less than 1
     */
    public Fetch maxBody(long bytes) {
        return with(b -> b.maxBody(bytes));
    }

    /**
     * Returns this stage following at most {@code n} redirects.
     *
     * @param n at least 0; 0 returns 3xx responses as they are
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public Fetch redirects(int n) {
        return with(b -> b.redirects(n));
    }

    /**
     * Returns this stage sending a body rendered from each item; see {@link FetchOptions#body()}.
     *
     * @param template the template, empty for none
     * @return a new {@code Fetch}
     */
    public Fetch body(String template) {
        return with(b -> b.body(template));
    }

    /**
     * Returns this stage sending credentials to each item's own host.
     *
     * @param auth the credentials
     * @return a new {@code Fetch}
     */
    public Fetch auth(Auth auth) {
        return with(b -> b.auth(auth));
    }

    /**
     * Returns this stage requesting only the hosts and addresses {@code policy} allows; a refused
     * request (redirects included) fails the item with {@link Reason#BLOCKED}, without retries.
     *
     * @param policy the policy, e.g. {@code HostPolicy.OPEN.blockPrivate(true)}
     * @return a new {@code Fetch}
     */
    public Fetch hosts(HostPolicy policy) {
        return with(b -> b.hosts(policy));
    }

    /**
     * Returns this stage sending its requests through HTTP proxies, e.g.
     * {@code ProxySettings.of("http://proxy.internal:3128")} or
     * {@code ProxySettings.fromEnvironment(System.getenv())}.
     *
     * @param proxy the proxies
     * @return a new {@code Fetch}
     */
    public Fetch proxy(ProxySettings proxy) {
        return with(b -> b.proxy(proxy));
    }

    /**
     * Returns this stage with other TLS and HTTP version settings, e.g.
     * {@code ProtocolOptions.DEFAULTS.withHttp2(true)}.
     *
     * @param protocols the settings
     * @return a new {@code Fetch}
     */
    public Fetch protocols(ProtocolOptions protocols) {
        return with(b -> b.protocols(protocols));
    }

    /**
     * Returns this stage taking each item's URL from a jq expression over its value instead of the
     * value itself or its {@code url} field, e.g. {@code "\"https://api.example.com/items/\\(.id)\""}.
     * A jq error, an output that is not exactly one string, or a string that is not an absolute
     * http(s) URL fails the item with {@link Reason#INVALID_URL} and a message naming the expression
     * ({@code "fetch url '...' failed: produced a number (7); it must produce a string"}).
     *
     * @param expression a jq expression producing the URL string
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when the expression does not compile
     */
    public Fetch url(String expression) {
        return new Fetch(options, plan.withUrl(JqExpression.compile(expression)));
    }

    /**
     * Returns this stage sending a header whose value a jq expression computes from each item, e.g.
     * {@code headerFrom("x-request-id", "\"item-\\(.id)\"")}; it is sent after the fixed
     * {@linkplain #header(String, String) headers} and wins over one of the same name. A jq error or
     * an output that is not one string fails the item with {@link Reason#TRANSFORM}, naming the
     * header and expression; nothing is sent for it.
     *
     * @param name the header name, not blank
     * @param expression a jq expression producing the value string
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when the name is blank or the expression does not compile
     */
    public Fetch headerFrom(String name, String expression) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("header names must not be blank, was '" + name + "'");
        }
        return new Fetch(options, plan.withHeader(name, JqExpression.compile(expression)));
    }

    /**
     * Returns this stage sending the one output of a jq expression over each item as a JSON body
     * with {@code content-type: application/json} (a {@code content-type} header in the options
     * wins), instead of the {@linkplain #body(String) body template}, e.g. {@code "{id, tags}"}. A jq
     * error or not exactly one output fails the item with {@link Reason#TRANSFORM}, naming the
     * expression; nothing is sent for it.
     *
     * @param expression a jq expression producing the body
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when the expression does not compile
     */
    public Fetch jsonBody(String expression) {
        return new Fetch(options, plan.withJsonBody(JqExpression.compile(expression)));
    }

    /**
     * Returns this stage merging each response, read as JSON, into the item at {@code path} instead
     * of replacing the value: {@code into(".author")} turns {@code {"id":1,"by":"ann"}} into
     * {@code {"id":1,"by":"ann","author":{...}}}. Same as {@code into(path, BodyFormat.JSON)}.
     *
     * @param path a jq path below the value, such as {@code .author} or {@code .meta.owner}
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when the path does not compile or does not start with a dot
     * @see #into(String, BodyFormat)
     */
    public Fetch into(String path) {
        return into(path, BodyFormat.JSON);
    }

    /**
     * Returns this stage merging each response, read in {@code format}, into the item at
     * {@code path}: fan-out enrichment. The item keeps its metadata (origin, and the URL and status
     * of its own fetch, if any), so one item comes in and one goes out. A failed request, a body
     * that does not read ({@link Reason#PARSE}) or a value the path cannot be set in
     * ({@link Reason#TRANSFORM}) fails the item, unless the stage is {@linkplain #optional()
     * optional}.
     *
     * @param path a jq path below the value, such as {@code .author}
     * @param format how the body is read: JSON, NDJSON (an array of the lines) or text
     * @return a new {@code Fetch}
     * @throws IllegalArgumentException when the path does not compile or does not start with a dot
     */
    public Fetch into(String path, BodyFormat format) {
        Objects.requireNonNull(format, "format");
        if (plan.decoder() != null) {
            throw new IllegalStateException("decodeWith emits the decoded values as items; into does not apply");
        }
        boolean optional = plan.into() != null && plan.into().optional();
        return new Fetch(options, plan.withInto(RequestPlan.Enrichment.of(path, format, optional)));
    }

    /**
     * Returns this enriching stage keeping items whose enrichment failed: instead of failing the
     * item, the failure is recorded in its value under {@code _errors} at the same path
     * ({@code into(".author")} writes {@code ._errors.author}) as
     * {@code {"reason":"http_status","message":"GET ... returned 404 Not Found","status":404,"url":"...","attempts":1}}.
     * When the value cannot hold that (it is not an object), the item fails after all.
     *
     * @return a new {@code Fetch}
     * @throws IllegalStateException when no {@link #into(String)} was set before
     */
    public Fetch optional() {
        if (plan.into() == null) {
            throw new IllegalStateException("optional applies to into, which is not set");
        }
        return new Fetch(options, plan.withInto(plan.into().withOptional(true)));
    }

    /**
     * Returns this stage decoding each response while it streams in, emitting one item per decoded
     * value as soon as it is complete, before the body ends: a fused fetch and split, e.g.
     * {@code decodeWith((chunks, url) -> Parse.elements(chunks, "/items", SplitOptions.DEFAULTS, url))}.
     * Each item keeps the origin and records the response's URL, status and headers; {@code n} values
     * from one item add {@code n - 1} to the run's {@code expanded} count, none counts it as
     * filtered. A status of 400 or more, a transport failure, a body over the size limit or a
     * decoder error ends the item's values with one failed item (a {@link dev.sluice.ParseException}
     * as {@link Reason#PARSE}). Streamed requests are retried as configured only until the first
     * item has left; a failure after it ends the item with {@code "failed after <n> items: ..."}.
     * Redirects are followed as for whole bodies. The per-attempt total deadline does not apply, since
     * a streamed body may rightly take long; the response timeout between reads and the size limit do.
     *
     * @param decoder the body decoder
     * @return a new {@code Fetch}
     * @throws IllegalStateException when the stage merges responses {@linkplain #into(String) into} items
     */
    public Fetch decodeWith(BodyDecoder decoder) {
        Objects.requireNonNull(decoder, "decoder");
        if (plan.into() != null) {
            throw new IllegalStateException("decodeWith emits the decoded values as items; into does not apply");
        }
        return new Fetch(options, plan.withDecoder(decoder));
    }

    /**
     * Returns this stage handing each whole body, as bytes, to {@code parser}: it gets the body and
     * the item this stage would emit (the body as a JSON string, the response in its metadata) and
     * returns the item that leaves, parsed or failed. A fused fetch and whole-body parse, e.g.
     * {@code parseWith(Parse::json)}: the body is parsed once, from its bytes. Failed items and
     * paginated fetches do not reach it.
     *
     * @param parser reads a whole body into the item that leaves
     * @return a new {@code Fetch}
     * @throws IllegalStateException when the stage merges responses {@linkplain #into(String) into}
     *     items or {@linkplain #decodeWith(BodyDecoder) decodes} them while they stream
     */
    public Fetch parseWith(java.util.function.BiFunction<byte[], Item, Item> parser) {
        Objects.requireNonNull(parser, "parser");
        if (plan.into() != null || plan.decoder() != null) {
            throw new IllegalStateException("parseWith replaces the value with the parsed body; into and decodeWith do not apply");
        }
        return new Fetch(options, plan.withParser(parser));
    }

    /**
     * Returns a stage that fetches every page of the collection each item names (its URL found as
     * this stage finds it) and emits one item per page, with the page's body as a JSON string, as
     * this stage would: a {@code parse} and an {@code explode} follow it as they follow a fetch.
     *
     * <p>Pages of one collection are fetched one after the other, in order, each with the same
     * method, body, headers and credentials (credentials only to the collection's own host), with
     * this stage's retries, rate limits, redirects and size limit; up to {@code concurrency}
     * collections are paginated at once. Page items keep the collection item's origin and record the
     * page's URL, status and headers. A collection of {@code n} pages adds {@code n - 1} to the run's
     * {@code expanded} count.
     *
     * <p>A page that fails ends its collection with a failed item (stage {@code paginate}) whose
     * message says how far it got, e.g. {@code "page 3 of https://api.example.com/items failed: GET
     * https://api.example.com/items?page=3 returned 500 Internal Server Error"}; the pages before it
     * were already emitted. A next URL that is not an absolute http(s) URL fails that next page
     * ({@link Reason#INVALID_URL}), a body that is not JSON when the pagination needs it fails its
     * page ({@link Reason#PARSE}), and so does a jq runtime error ({@link Reason#TRANSFORM}).
     *
     * @param pagination how the next page is found and when to stop
     * @return a new stage
     * @throws IllegalStateException when this stage merges responses {@linkplain #into(String) into}
     *     items or {@linkplain #decodeWith(BodyDecoder) decodes} them, which pagination does not do
     */
    public Stage paginate(Pagination pagination) {
        Objects.requireNonNull(pagination, "pagination");
        if (plan.into() != null) {
            throw new IllegalStateException("paginate emits the pages themselves; into does not apply");
        }
        if (plan.decoder() != null) {
            throw new IllegalStateException("paginate emits the pages themselves; decodeWith does not apply");
        }
        return new PaginateStage(options, plan, pagination);
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
        return RunContext.use(run -> HttpFetcher.forRun(run, options, plan).fetchAll(items)).checkpoint("fetch");
    }

    private Fetch with(java.util.function.UnaryOperator<FetchOptions.Builder> change) {
        return withOptions(change.apply(options.toBuilder()).build());
    }

    private Fetch withOptions(FetchOptions changed) {
        return new Fetch(changed, plan);
    }

    @Override
    public String toString() {
        return "Fetch.of(" + options + ")";
    }
}
