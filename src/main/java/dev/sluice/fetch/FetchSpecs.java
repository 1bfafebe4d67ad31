package dev.sluice.fetch;

import dev.sluice.Stage;
import dev.sluice.jq.JqExpression;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import dev.sluice.spec.FieldType;
import dev.sluice.spec.ParsedConfig;
import dev.sluice.spec.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The spec of the {@code fetch} step: its fields, declared once, and its factory. */
public final class FetchSpecs {

    private static final FieldType<RateLimit> RATE = FieldType.text("rate", RateLimit.ACCEPTED_FORMS,
            RateLimit::parse, RateLimit::toString);

    static final Field<Integer> CONCURRENCY = Field.integer("concurrency")
            .defaultsTo(FetchOptions.DEFAULT_CONCURRENCY).check(n -> n >= 1, "be >= 1")
            .describe("Maximum requests in flight for this step, across all hosts.");
    static final Field<Integer> PER_HOST = Field.integer("per_host")
            .defaultsTo(FetchOptions.DEFAULT_PER_HOST).check(n -> n >= 1, "be >= 1")
            .describe("Maximum connections (so requests in flight) per scheme://host:port.");
    static final Field<RateLimit> RATE_FIELD = Field.of("rate", RATE).defaultsTo(RateLimit.UNLIMITED)
            .describe("Requests per interval for each host, e.g. 50/s or 600/m; waiting for a token is backpressure, nothing is dropped.");
    static final Field<Integer> BURST = Field.integer("burst").defaultsTo(1).check(n -> n >= 1, "be >= 1")
            .describe("How many requests a host may get at once after a quiet spell (the bucket's size).");
    static final Field<RateLimit> GLOBAL_RATE = Field.of("global_rate", RATE).defaultsTo(RateLimit.UNLIMITED)
            .advanced()
            .describe("Requests per interval for the whole step, across hosts.");
    static final Field<Duration> TIMEOUT = Field.duration("timeout")
            .defaultsTo(FetchOptions.DEFAULT_TIMEOUT).check(d -> !d.isZero() && !d.isNegative(), "be > 0")
            .describe("Total deadline of one attempt once the request is on a connection, body included (cuts a trickling body). "
                    + "A body parsed while it streams in (fetch directly followed by parse with split, ndjson, csv or lines) "
                    + "may rightly take longer and has none: response_timeout between reads and max_body bound it.");
    static final Field<Duration> RESPONSE_TIMEOUT = Field.duration("response_timeout")
            .defaultsTo(FetchOptions.DEFAULT_RESPONSE_TIMEOUT).check(d -> !d.isZero() && !d.isNegative(), "be > 0")
            .advanced()
            .describe("Longest wait for the response headers and between body reads.");
    static final Field<Duration> CONNECT_TIMEOUT = Field.duration("connect_timeout")
            .defaultsTo(FetchOptions.DEFAULT_CONNECT_TIMEOUT).check(d -> !d.isZero() && !d.isNegative(), "be > 0")
            .advanced()
            .describe("Deadline for opening a connection.");
    static final Field<Duration> POOL_TIMEOUT = Field.duration("pool_timeout")
            .defaultsTo(FetchOptions.DEFAULT_POOL_TIMEOUT).check(d -> !d.isZero() && !d.isNegative(), "be > 0")
            .advanced()
            .describe("Longest wait for a free pooled connection to a host; reported apart from request time.");
    static final Field<Integer> ATTEMPTS = Field.integer("attempts")
            .defaultsTo(RetryOptions.DEFAULTS.attempts()).check(n -> n >= 1, "be >= 1")
            .describe("Most attempts per item, the first included; 1 turns retries off.");
    static final Field<Duration> BACKOFF = Field.duration("backoff")
            .defaultsTo(RetryOptions.DEFAULTS.backoff())
            .describe("Base wait before the first retry; doubles each retry, with full jitter.");
    static final Field<Duration> MAX_BACKOFF = Field.duration("max_backoff")
            .defaultsTo(RetryOptions.DEFAULTS.maxBackoff())
            .describe("Longest computed wait between attempts.");
    static final Field<List<Integer>> STATUSES = Field.integerList("statuses")
            .defaultsTo(RetryOptions.DEFAULT_STATUSES.stream().sorted().toList())
            .check(l -> l.stream().allMatch(n -> n >= 100 && n <= 599), "hold statuses from 100 to 599")
            .describe("Response statuses that are retried (connect errors, resets and timeouts always are).");
    static final Field<Duration> MAX_RETRY_AFTER = Field.duration("max_retry_after")
            .defaultsTo(RetryOptions.DEFAULTS.maxRetryAfter())
            .describe("Longest wait a Retry-After header may ask for; longer asks are capped.");
    static final Field<Boolean> RETRY_NON_IDEMPOTENT = Field.bool("non_idempotent")
            .defaultsTo(RetryOptions.DEFAULTS.retryNonIdempotent())
            .describe("Retry POST and PATCH too (only when the server is known to deduplicate).");
    static final Field<ParsedConfig> RETRY = Field.group("retry", ATTEMPTS, BACKOFF, MAX_BACKOFF, STATUSES,
                    MAX_RETRY_AFTER, RETRY_NON_IDEMPOTENT)
            .describe("Retries with exponential backoff, full jitter and Retry-After.");
    static final Field<Integer> REDIRECTS = Field.integer("redirects")
            .defaultsTo(FetchOptions.DEFAULT_REDIRECTS).check(n -> n >= 0, "be >= 0")
            .describe("Most redirect hops followed; loops and more hops dead-letter as too_many_redirects; 0 keeps 3xx responses.");
    static final Field<Long> MAX_BODY = Field.size("max_body")
            .defaultsTo(FetchOptions.DEFAULT_MAX_BODY).check(n -> n >= 1, "be >= 1")
            .describe("Largest body accepted, counted after decompression while it streams; bigger ones dead-letter as too_large.");
    static final Field<String> METHOD = Field.oneOf("method", "get", "post", "put", "patch", "delete").defaultsTo("get")
            .describe("The HTTP method; only get, put and delete are retried unless retry.non_idempotent is set.");
    static final Field<Map<String, String>> HEADERS = Field.stringMap("headers")
            .defaultsTo(Map.of())
            .describe("Request headers sent with every request.");
    static final Field<String> BODY = Field.string("body")
            .describe("Request body template; {field} is replaced by the item's field (a missing field dead-letters the item).");
    static final Field<String> URL = Field.string("url")
            .validate(JqExpression::compile, "be a valid jq expression")
            .describe("A jq expression over the item producing the URL string, e.g. '\"https://api.example.com/items/\\(.id)\"'; by default the item itself when it is a string, else its url field. A jq error or a value that is not an absolute http(s) URL dead-letters the item as invalid_url.");
    static final Field<Map<String, String>> HEADER_TEMPLATES = Field.stringMap("header_templates")
            .validate(m -> m.values().forEach(JqExpression::compile), "hold valid jq expressions")
            .describe("Request headers computed per item: name to a jq expression producing the value string, e.g. { x-request-id: '\"item-\\(.id)\"' }; a jq error dead-letters the item as transform.");
    static final Field<String> JSON_BODY = Field.string("json_body")
            .validate(JqExpression::compile, "be a valid jq expression")
            .describe("A jq expression over the item whose one output is sent as a JSON body (content-type application/json), e.g. '{id, tags}'; a jq error dead-letters the item as transform.");
    static final Field<String> INTO = Field.string("into")
            .validate(path -> RequestPlan.Enrichment.of(path, BodyFormat.JSON, false), "be a jq path below the value such as .author")
            .describe("Merge the parsed response into the item at this jq path (fan-out enrichment) instead of replacing the value; the item keeps its value and origin.");
    static final Field<String> FORMAT = Field.oneOf("format", "json", "ndjson", "text")
            .describe("How into reads the response: json (one document, the default), ndjson (the lines as an array) or text (a string).");
    static final Field<Boolean> OPTIONAL = Field.bool("optional")
            .describe("With into, default false: keep an item whose enrichment failed, recording the failure (reason, message, status, url, attempts) in its value at ._errors plus the into path, e.g. ._errors.author.");
    static final Field<String> BEARER = Field.string("bearer").secret()
            .describe("A bearer token, e.g. '${API_TOKEN}' from the environment.");
    static final Field<String> USER = Field.string("user")
            .describe("The user name for basic auth.");
    static final Field<String> PASSWORD = Field.string("password").secret()
            .describe("The password for basic auth, e.g. '${API_PASSWORD}'.");
    static final Field<ParsedConfig> AUTH = Field.group("auth", BEARER, USER, PASSWORD)
            .describe("Credentials: bearer, or user and password. Never written to logs, reports or dead letters, and not sent to another host on redirect.");
    static final Field<List<String>> ALLOW_HOSTS = Field.stringList("allow_hosts").defaultsTo(List.of())
            .validate(l -> HostPolicy.OPEN.allow(l), "hold host names or *.domain patterns")
            .describe("When set, the only host names requested (*.example.com matches names below example.com); others, redirects included, dead-letter as blocked. For pipelines that follow URLs from responses.");
    static final Field<List<String>> DENY_HOSTS = Field.stringList("deny_hosts").defaultsTo(List.of())
            .validate(l -> HostPolicy.OPEN.deny(l), "hold host names or *.domain patterns")
            .describe("Host names never requested, same patterns as allow_hosts and checked first; redirects included; dead-letter as blocked.");
    static final Field<Boolean> BLOCK_PRIVATE = Field.bool("block_private_addresses").defaultsTo(false)
            .describe("Refuse loopback, link-local, private (RFC 1918, fc00::/7), unspecified and multicast addresses after DNS resolution, redirects included (reason blocked). Off for local development; turn it on when URLs come from untrusted responses.");
    static final Field<String> PROXY = Field.string("proxy").secret()
            .validate(FetchSpecs::proxySettings, "be env, none or http://host:port")
            .describe("An HTTP proxy, http://[user:password@]host:port (https URLs are tunnelled with CONNECT); env reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY (or their lower-case forms) as curl does. Default none: the environment is not read unless asked, so a pipeline behaves the same everywhere.");
    static final Field<List<String>> NO_PROXY = Field.stringList("no_proxy").defaultsTo(List.of())
            .describe("Hosts reached without the proxy: example.com also matches names below it, * matches every host; added to NO_PROXY with proxy: env.");
    static final Field<List<String>> INSECURE_HOSTS = Field.stringList("insecure_hosts").defaultsTo(List.of())
            .validate(l -> ProtocolOptions.DEFAULTS.withInsecureHosts(l), "hold host names or *.domain patterns")
            .describe("Hosts whose TLS certificate is not verified (self-signed test servers), *.domain wildcards allowed; every other host is verified.");
    static final Field<Boolean> HTTP2 = Field.bool("http2").defaultsTo(false)
            .describe("Offer HTTP/2 to https hosts through ALPN, falling back to HTTP/1.1.");
    static final Field<Boolean> H2C = Field.bool("h2c").defaultsTo(false)
            .advanced()
            .describe("Speak cleartext HTTP/2 to http hosts with prior knowledge (the server must speak HTTP/2 from the first byte).");

    static final ComponentSpec<Stage> SPEC = ComponentSpec.<Stage>step("fetch")
            .summary("Fetches each item's URL (the item itself when it is a string, else its url field) with one shared Reactor Netty client per run. "
                    + "With concurrency 16 or more and not above per_host, the requests spread over one event loop per core, each loop with its share of the connections (8 or more to a host).")
            .fields(CONCURRENCY, PER_HOST, RATE_FIELD, BURST, TIMEOUT, RETRY, REDIRECTS, MAX_BODY, METHOD, HEADERS,
                    BODY, URL, HEADER_TEMPLATES, JSON_BODY, INTO, FORMAT, OPTIONAL, AUTH, GLOBAL_RATE, RESPONSE_TIMEOUT, CONNECT_TIMEOUT, POOL_TIMEOUT,
                    ALLOW_HOSTS, DENY_HOSTS, BLOCK_PRIVATE, PROXY, NO_PROXY,
                    INSECURE_HOSTS, HTTP2, H2C)
            .rule(FetchSpecs::authIsOneKind)
            .example("Defaults", "fetch: {}")
            .example("Fan-out to one API on every core (two lanes of 32 connections on 2 cores)",
                    "fetch: { concurrency: 64, per_host: 64, timeout: 30s }")
            .example("Polite crawl", "fetch: { concurrency: 8, per_host: 2, rate: 5/s, timeout: 10s, headers: { user-agent: sluice-example } }")
            .example("Patient with a flaky API",
                    "fetch: { retry: { attempts: 5, backoff: 500ms, max_backoff: 30s, max_retry_after: 2m } }")
            .example("URL from a jq template", "fetch: { url: '\"https://hacker-news.firebaseio.com/v0/item/\\(.).json\"' }")
            .example("Enrich each story with its author",
                    "fetch: { url: '\"https://hacker-news.firebaseio.com/v0/user/\\(.by).json\"', into: .author, optional: true }")
            .example("Following untrusted links",
                    "fetch: { block_private_addresses: true, deny_hosts: ['*.internal.example.com'] }")
            .example("POST a JSON body with a token", "fetch: { method: post, body: '{\"id\": \"{id}\"}', auth: { bearer: secret-token } }")
            .beta()
            .factory(FetchSpecs::create);

    static final Field<String> NEXT = Field.string("next")
            .validate(n -> {
                if (!n.equals("link")) {
                    JqExpression.compile(n);
                }
            }, "be link or a valid jq expression")
            .describe("link follows the Link header's rel=\"next\" URL; anything else is a jq expression over the JSON page giving the next URL (absolute or relative), e.g. .links.next; null or empty ends the collection.");
    static final Field<String> CURSOR_PARAM = Field.string("param").defaultsTo("cursor")
            .describe("The query parameter that carries the cursor.");
    static final Field<String> CURSOR_FROM = Field.string("from")
            .validate(JqExpression::compile, "be a valid jq expression")
            .describe("A jq expression over the JSON page giving the next cursor, e.g. .meta.next_cursor; null or empty ends the collection.");
    static final Field<ParsedConfig> CURSOR = Field.group("cursor", CURSOR_PARAM, CURSOR_FROM)
            .describe("Cursor pagination: the cursor found in each page is sent back as a query parameter.");
    static final Field<String> PAGE_PARAM = Field.string("param").defaultsTo("page")
            .describe("The query parameter that carries the page number.");
    static final Field<Long> PAGE_START = Field.longInteger("start").defaultsTo(1L)
            .describe("The number of the first page.");
    static final Field<String> PAGE_ITEMS = Field.string("items").defaultsTo(".")
            .validate(JqExpression::compile, "be a valid jq expression")
            .describe("A jq expression over the JSON page giving its records; a page whose records are null or empty ends the collection and is not emitted (unless it is the first).");
    static final Field<ParsedConfig> PAGE = Field.group("page", PAGE_PARAM, PAGE_START, PAGE_ITEMS)
            .describe("Page-number pagination: counts a query parameter up until a page is empty.");
    static final Field<String> OFFSET_PARAM = Field.string("param").defaultsTo("offset")
            .describe("The query parameter that carries the record offset.");
    static final Field<Long> OFFSET_START = Field.longInteger("start").defaultsTo(0L)
            .describe("The offset of the first page.");
    static final Field<Long> OFFSET_STEP = Field.longInteger("step").check(n -> n >= 1, "be >= 1")
            .describe("Required: the page size, how much the offset goes up for each page; it must match what the API returns per page.");
    static final Field<String> OFFSET_LIMIT_PARAM = Field.string("limit_param")
            .describe("A query parameter sent with step as its value, e.g. limit, for APIs that take the page size.");
    static final Field<String> OFFSET_ITEMS = Field.string("items").defaultsTo(".")
            .validate(JqExpression::compile, "be a valid jq expression")
            .describe("A jq expression over the JSON page giving its records; a page whose records are null or empty ends the collection and is not emitted (unless it is the first). A short page does not end it.");
    static final Field<String> OFFSET_TOTAL = Field.string("total")
            .validate(JqExpression::compile, "be a valid jq expression")
            .describe("A jq expression over the JSON page giving the number of records, e.g. .meta.total; the collection ends once the next offset reaches it (saving the empty last request).");
    static final Field<ParsedConfig> OFFSET = Field.group("offset", OFFSET_PARAM, OFFSET_START, OFFSET_STEP,
                    OFFSET_LIMIT_PARAM, OFFSET_ITEMS, OFFSET_TOTAL)
            .describe("Offset pagination: a record offset in a query parameter goes up by the page size until a page is empty.");
    static final Field<Integer> MAX_PAGES = Field.integer("max_pages").defaultsTo(Pagination.DEFAULT_MAX_PAGES)
            .check(n -> n >= 1, "be >= 1")
            .describe("Most pages fetched per collection.");
    static final Field<String> HAS_MORE = Field.string("has_more")
            .validate(JqExpression::compile, "be a valid jq expression")
            .describe("A jq expression over the JSON page; falsy ends the collection after this page, e.g. .has_more.");

    static final ComponentSpec<Stage> PAGINATE = ComponentSpec.<Stage>step("paginate")
            .summary("Fetches every page of the collection each item names, one after the other, and emits one item per page (the body as text, as fetch does); collections paginate concurrently.")
            .fields(NEXT, CURSOR, PAGE, OFFSET, MAX_PAGES, HAS_MORE, URL, CONCURRENCY, PER_HOST, RATE_FIELD, BURST, TIMEOUT,
                    RETRY, REDIRECTS, MAX_BODY, METHOD, HEADERS, HEADER_TEMPLATES, BODY, JSON_BODY, AUTH, GLOBAL_RATE, RESPONSE_TIMEOUT,
                    CONNECT_TIMEOUT, POOL_TIMEOUT, ALLOW_HOSTS, DENY_HOSTS, BLOCK_PRIVATE, PROXY, NO_PROXY,
                    INSECURE_HOSTS, HTTP2, H2C)
            .rule(FetchSpecs::oneStyle)
            .rule(FetchSpecs::authIsOneKind)
            .example("Link headers (GitHub style)", "paginate: { next: link, max_pages: 50 }")
            .example("Next URL in the body", "paginate: { next: .links.next }")
            .example("Cursor", "paginate: { cursor: { param: cursor, from: .meta.next_cursor }, has_more: .has_more }")
            .example("Page numbers", "paginate: { page: { param: page, start: 1, items: .data } }")
            .example("Offsets", "paginate: { offset: { param: offset, step: 100, limit_param: limit, items: .results, total: .count } }")
            .beta()
            .factory(FetchSpecs::createPaginate);

    private FetchSpecs() {}

    private static Stage createPaginate(ParsedConfig c) {
        Pagination pagination;
        if (c.isGiven(NEXT)) {
            pagination = c.get(NEXT).equals("link") ? Pagination.link() : Pagination.next(c.get(NEXT));
        } else if (c.isGiven(CURSOR)) {
            ParsedConfig cursor = c.get(CURSOR);
            pagination = Pagination.cursor(cursor.get(CURSOR_PARAM), cursor.get(CURSOR_FROM));
        } else if (c.isGiven(OFFSET)) {
            ParsedConfig offset = c.get(OFFSET);
            pagination = Pagination.offset(offset.get(OFFSET_PARAM), offset.get(OFFSET_START), offset.get(OFFSET_STEP))
                    .withItems(offset.get(OFFSET_ITEMS))
                    .withLimitParam(offset.find(OFFSET_LIMIT_PARAM).orElse(""))
                    .withTotal(offset.find(OFFSET_TOTAL).orElse(""));
        } else {
            ParsedConfig page = c.get(PAGE);
            pagination = Pagination.page(page.get(PAGE_PARAM), page.get(PAGE_START)).withItems(page.get(PAGE_ITEMS));
        }
        pagination = pagination.withMaxPages(c.get(MAX_PAGES)).withHasMore(c.find(HAS_MORE).orElse(""));
        return templated(Fetch.of(options(c)), c).paginate(pagination);
    }

    private static List<Violation> oneStyle(ParsedConfig c) {
        long styles = List.of(NEXT, CURSOR, PAGE, OFFSET).stream().filter(c::isGiven).count();
        List<Violation> out = new ArrayList<>();
        if (styles != 1) {
            out.add(new Violation("next", "paginate takes exactly one of next, cursor, page or offset, got " + styles));
        }
        if (c.isGiven(OFFSET) && !c.get(OFFSET).isGiven(OFFSET_STEP)) {
            out.add(new Violation("offset", "offset needs step, the page size"));
        }
        if (c.isGiven(CURSOR) && !c.get(CURSOR).isGiven(CURSOR_FROM)) {
            out.add(new Violation("cursor", "cursor needs from, a jq expression giving the next cursor"));
        }
        return out;
    }

    private static Stage create(ParsedConfig c) {
        Fetch fetch = templated(Fetch.of(options(c)), c);
        if (c.isGiven(INTO)) {
            fetch = fetch.into(c.get(INTO), BodyFormat.valueOf(c.find(FORMAT).orElse("json").toUpperCase(Locale.ROOT)));
            fetch = c.find(OPTIONAL).orElse(false) ? fetch.optional() : fetch;
        }
        return fetch;
    }

    private static Fetch templated(Fetch fetch, ParsedConfig c) {
        Fetch out = fetch;
        if (c.isGiven(URL)) {
            out = out.url(c.get(URL));
        }
        if (c.isGiven(JSON_BODY)) {
            out = out.jsonBody(c.get(JSON_BODY));
        }
        for (Map.Entry<String, String> header : c.find(HEADER_TEMPLATES).orElse(Map.of()).entrySet()) {
            out = out.headerFrom(header.getKey(), header.getValue());
        }
        return out;
    }

    private static FetchOptions options(ParsedConfig c) {
        ParsedConfig retry = c.get(RETRY);
        RetryOptions retryOptions = new RetryOptions(retry.get(ATTEMPTS), retry.get(BACKOFF), retry.get(MAX_BACKOFF),
                new HashSet<>(retry.get(STATUSES)), retry.get(MAX_RETRY_AFTER), retry.get(RETRY_NON_IDEMPOTENT),
                RetryOptions.DEFAULTS.jitter());
        RateLimit rate = c.get(RATE_FIELD);
        if (!rate.isUnlimited() && c.isGiven(BURST)) {
            rate = rate.withBurst(c.get(BURST));
        }
        return FetchOptions.builder()
                .concurrency(c.get(CONCURRENCY))
                .perHost(c.get(PER_HOST))
                .rate(rate)
                .globalRate(c.get(GLOBAL_RATE))
                .timeout(c.get(TIMEOUT))
                .responseTimeout(c.get(RESPONSE_TIMEOUT))
                .connectTimeout(c.get(CONNECT_TIMEOUT))
                .poolTimeout(c.get(POOL_TIMEOUT))
                .retry(retryOptions)
                .redirects(c.get(REDIRECTS))
                .maxBody(c.get(MAX_BODY))
                .method(Method.valueOf(c.get(METHOD).toUpperCase(Locale.ROOT)))
                .headers(c.get(HEADERS))
                .body(c.find(BODY).orElse(""))
                .auth(auth(c.get(AUTH)))
                .hosts(new HostPolicy(c.get(ALLOW_HOSTS), c.get(DENY_HOSTS), c.get(BLOCK_PRIVATE)))
                .proxy(proxy(c))
                .protocols(new ProtocolOptions(c.get(INSECURE_HOSTS), c.get(HTTP2), c.get(H2C)))
                .build();
    }

    private static ProxySettings proxy(ParsedConfig c) {
        ProxySettings proxy = proxySettings(c.find(PROXY).orElse("none"));
        List<String> noProxy = new ArrayList<>(proxy.noProxy());
        noProxy.addAll(c.get(NO_PROXY));
        return proxy.withNoProxy(noProxy);
    }

    private static ProxySettings proxySettings(String value) {
        return switch (value.strip()) {
            case "none" -> ProxySettings.NONE;
            case "env" -> ProxySettings.fromEnvironment(System.getenv());
            default -> ProxySettings.of(value);
        };
    }

    private static Auth auth(ParsedConfig auth) {
        if (auth.find(BEARER).isPresent()) {
            return Auth.bearer(auth.get(BEARER));
        }
        if (auth.find(USER).isPresent()) {
            return Auth.basic(auth.get(USER), auth.find(PASSWORD).orElse(""));
        }
        return Auth.NONE;
    }

    private static List<Violation> authIsOneKind(ParsedConfig c) {
        ParsedConfig auth = c.get(AUTH);
        List<Violation> out = new ArrayList<>();
        if (auth.isGiven(BEARER) && (auth.isGiven(USER) || auth.isGiven(PASSWORD))) {
            out.add(new Violation("auth", "auth takes either bearer, or user and password, not both"));
        }
        if (auth.isGiven(PASSWORD) && !auth.isGiven(USER)) {
            out.add(new Violation("auth", "auth password needs a user"));
        }
        if (c.isGiven(BODY) && c.isGiven(JSON_BODY)) {
            out.add(new Violation("json_body", "json_body and body are two ways to give the body; use one"));
        }
        for (Field<?> needsInto : List.of(FORMAT, OPTIONAL)) {
            if (c.isGiven(needsInto) && !c.isGiven(INTO)) {
                out.add(new Violation(needsInto.name(), needsInto.name() + " applies to into, which is not set"));
            }
        }
        if (c.isGiven(NO_PROXY) && !c.isGiven(PROXY)) {
            out.add(new Violation("no_proxy", "no_proxy applies to proxy, which is not set"));
        }
        if (c.isGiven(BURST) && !c.isGiven(RATE_FIELD)) {
            out.add(new Violation("burst", "burst applies to rate, which is not set"));
        }
        return out;
    }

    /**
     * Returns the specs of the fetch package.
     *
     * @return the fetch and paginate steps
     */
    public static List<ComponentSpec<Stage>> all() {
        return List.of(SPEC, PAGINATE);
    }
}
