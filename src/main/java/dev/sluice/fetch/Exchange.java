package dev.sluice.fetch;

import dev.sluice.Reason;
import dev.sluice.Tally;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.AsciiString;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.transport.ProxyProvider;

/**
 * Makes one attempt: sends the request once it may go (see {@link HostGate}), reads the body within
 * the size limit and the deadline, and follows redirects. Every problem becomes an
 * {@link Outcome.Failed}; the returned publisher does not error.
 */
final class Exchange {

    /** Response headers kept in an item's metadata, lower case; repeated headers are joined with ", ". */
    static final List<String> KEPT_HEADERS = List.of("content-type", "content-length", "etag", "last-modified", "link");

    /** {@link #KEPT_HEADERS} as Netty's header names, in the same order. */
    private static final AsciiString[] KEPT_NAMES =
            KEPT_HEADERS.stream().map(AsciiString::cached).toArray(AsciiString[]::new);

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private final HttpClient client;
    private final FetchOptions options;
    private final Tally tally;
    private final HostGate gate;
    private final java.util.function.UnaryOperator<java.net.URI> rewrite;
    private final Map<String, HttpClient> variants = new java.util.concurrent.ConcurrentHashMap<>();
    /** The in-memory stand-in, or null for the HTTP client. */
    private final Transport transport;

    /**
     * Turns one request into its raw outcome, before the deadline and error mapping that
     * {@link Exchange} adds. The HTTP client by default; a test may put an in-memory stand-in here so
     * that a whole pipeline runs on virtual time.
     */
    @FunctionalInterface
    interface Transport {
        /**
         * Sends {@code request} once (no redirects followed) and reads its reply.
         *
         * @param request the request
         * @return the outcome; may error with a transport failure, which {@link Exchange} classifies
         */
        Mono<Outcome> exchange(Request request);
    }

    Exchange(HttpClient client, FetchOptions options, Tally tally, HostGate gate) {
        this(client, options, tally, gate, java.util.function.UnaryOperator.identity());
    }

    /** @param rewrite where a URL really connects (the run's {@code RunContext#rewrite}); the Host header keeps the original */
    Exchange(HttpClient client, FetchOptions options, Tally tally, HostGate gate,
            java.util.function.UnaryOperator<java.net.URI> rewrite) {
        this(client, options, tally, gate, rewrite, null);
    }

    /** @param transport the stand-in for the HTTP client, or null for the client itself */
    Exchange(HttpClient client, FetchOptions options, Tally tally, HostGate gate,
            java.util.function.UnaryOperator<java.net.URI> rewrite, Transport transport) {
        this.client = client;
        this.options = options;
        this.tally = tally;
        this.gate = gate;
        this.rewrite = rewrite;
        this.transport = transport;
    }

    /** Sends {@code first} and the redirects it leads to; each subscription is one attempt. */
    Mono<Outcome> attempt(Request first) {
        return Mono.defer(() -> {
            List<String> chain = new ArrayList<>();
            chain.add(first.uri().toString());
            return hop(first, first, chain);
        });
    }

    private Mono<Outcome> hop(Request origin, Request request, List<String> chain) {
        Outcome.Failed refused = refused(request);
        if (refused != null) {
            return Mono.just(refused);
        }
        // A hop is made when the attempt is subscribed or a redirect arrives: the gate is asked then.
        Mono<Outcome> sent = gate.isOpen() ? send(request)
                : gate.enter(Request.hostKey(request.uri())).then(Mono.defer(() -> send(request)));
        return sent
                .flatMap(outcome -> outcome instanceof Outcome.Redirect r
                        ? follow(origin, request, r, chain)
                        : Mono.just(outcome));
    }

    private Mono<Outcome> follow(Request origin, Request request, Outcome.Redirect redirect, List<String> chain) {
        Hop next = nextHop(origin, request, redirect, chain);
        return next.failed() != null ? Mono.just(next.failed()) : hop(origin, next.request(), chain);
    }

    /**
     * Where a redirect leads: the next request, or the failure that ends the chain.
     *
     * @param request the next request, or null when the chain ends
     * @param failed why the chain ends (too many hops, a loop, an invalid or non-http(s) target), or null
     */
    record Hop(Request request, Outcome.Failed failed) {}

    /**
     * Decides where {@code redirect}, the reply to {@code request} in a chain that began with
     * {@code origin}, leads, and adds that URL to {@code chain}; the streaming path shares it.
     */
    Hop nextHop(Request origin, Request request, Outcome.Redirect redirect, List<String> chain) {
        String what = origin.method() + " " + origin.text();
        if (chain.size() > options.redirects()) {
            return ended(Reason.TOO_MANY_REDIRECTS, what + " was redirected more than " + options.redirects()
                    + " times (last to " + redirect.location() + ")", redirect.status(), request.text());
        }
        URI next;
        try {
            next = request.uri().resolve(redirect.location());
        } catch (IllegalArgumentException e) {
            return ended(Reason.INVALID_URL, what + " was redirected to an invalid URL '" + redirect.location() + "'",
                    redirect.status(), request.text());
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (next.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return ended(Reason.INVALID_URL, what + " was redirected to '" + next + "', not an http(s) URL",
                    redirect.status(), request.text());
        }
        if (chain.contains(next.toString())) {
            return ended(Reason.TOO_MANY_REDIRECTS, what + " redirects in a loop: "
                    + String.join(" -> ", chain) + " -> " + next, redirect.status(), request.text());
        }
        chain.add(next.toString());
        return new Hop(request.redirectTo(next, redirect.status(), origin), null);
    }

    /** The redirect {@code status} and {@code location} stand for, when it is one this fetch follows; else null. */
    Outcome.Redirect redirect(int status, String location) {
        return redirect(options, status, location);
    }

    private static Outcome.Redirect redirect(FetchOptions options, int status, String location) {
        return REDIRECTS.contains(status) && location != null && options.redirects() > 0
                ? new Outcome.Redirect(status, location) : null;
    }

    private static Hop ended(Reason reason, String message, int status, String url) {
        return new Hop(null, new Outcome.Failed(reason, message, status, url, false, null));
    }

    private Mono<Outcome> send(Request request) {
        tally.request();
        Timing timing = new Timing();
        // The response timeout needs to see data arrive, which only the HTTP client reports.
        Mono<Outcome> reply;
        Duration idle;
        if (transport == null) {
            reply = overHttp(request, timing);
            idle = options.responseTimeout();
        } else {
            reply = transport.exchange(request);
            idle = null;
        }
        return reply
                .timeout(timing.deadline(options.timeout(), idle), Mono.error(this::deadlineExceeded))
                .contextWrite(timing::into)
                .onErrorResume(e -> Mono.just(broken(request, e, timing)));
    }

    /** The transport over the HTTP client; tells {@code timing} when data arrives. */
    private Mono<Outcome> overHttp(Request request, Timing timing) {
        return receiver(request).response((response, body) -> read(request, response, body, timing)).single();
    }

    /** The failure of a request whose host {@link HostPolicy} refuses by name, or null when it may go. */
    Outcome.Failed refused(Request request) {
        String refusal = options.hosts().refusal(request.uri());
        return refusal == null ? null : new Outcome.Failed(Reason.BLOCKED, request.method() + " " + request.text()
                + " refused: " + refusal, 0, request.text(), false, null);
    }

    /** Prepares {@code request} (headers, credentials, body) on the client; nothing is sent until subscription. */
    HttpClient.ResponseReceiver<?> receiver(Request request) {
        java.net.URI target = rewrite.apply(request.uri());
        HttpClient.RequestSender sender = clientFor(request.uri(), !target.equals(request.uri())).headers(h -> {
                    headers(h, request, options);
                    if (!target.equals(request.uri())) {
                        h.set(HttpHeaderNames.HOST, request.uri().getRawAuthority());
                    }
                })
                .request(HttpMethod.valueOf(request.method().name()))
                .uri(target);
        if (request.body() == null) {
            return sender;
        }
        // With its length announced the body goes out whole, not chunked: servers that want a length
        // (411 Length Required) take it, and no chunk framing is spent on a body known in advance.
        byte[] body = request.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return sender.send((outgoing, out) -> {
            outgoing.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            return out.sendByteArray(Mono.just(body));
        });
    }

    /**
     * The client for {@code url}: its scheme's HTTP versions, its proxy, TLS verification off for
     * insecure hosts. A URL the run rewrote (a test stub or a replay) is not checked against
     * private addresses: the harness chose where it goes.
     */
    private HttpClient clientFor(URI url, boolean rewritten) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        URI proxy = options.proxy().proxyFor(url);
        boolean insecure = https && options.protocols().insecure(url);
        boolean unguarded = rewritten && options.hosts().blockPrivate();
        ProtocolOptions p = options.protocols();
        if (proxy == null && !insecure && !unguarded && !(https ? p.http2() : p.h2c())) {
            return client;
        }
        return variants.computeIfAbsent(https + "|" + proxy + "|" + insecure + "|" + unguarded,
                k -> variant(https, proxy, insecure, unguarded));
    }

    private HttpClient variant(boolean https, URI proxy, boolean insecure, boolean unguarded) {
        ProtocolOptions p = options.protocols();
        HttpClient out = unguarded ? client.resolver(spec -> { }) : client;
        if (https && p.http2()) {
            out = out.protocol(HttpProtocol.H2, HttpProtocol.HTTP11);
        } else if (!https && p.h2c()) {
            out = out.protocol(HttpProtocol.H2C);
        }
        if (insecure) {
            out = p.http2()
                    ? out.secure(spec -> spec.sslContext(Http2SslContextSpec.forClient()
                            .configure(b -> b.trustManager(InsecureTrustManagerFactory.INSTANCE))))
                    : out.secure(spec -> spec.sslContext(Http11SslContextSpec.forClient()
                            .configure(b -> b.trustManager(InsecureTrustManagerFactory.INSTANCE))));
        }
        return proxy == null ? out : viaProxy(out, proxy);
    }

    private HttpClient viaProxy(HttpClient base, URI proxy) {
        String userInfo = proxy.getUserInfo();
        // The proxy resolves the origin's name, as Reactor Netty has it for a client without a resolver
        // of its own; the lanes' LazyDns would resolve it here. A guard still checks it here.
        HttpClient resolving = options.hosts().blockPrivate() ? base : base.resolver(NoopAddressResolverGroup.INSTANCE);
        return resolving.proxy(spec -> {
            ProxyProvider.Builder b = spec.type(ProxyProvider.Proxy.HTTP).host(proxy.getHost()).port(proxy.getPort())
                    .connectTimeoutMillis(options.connectTimeout().toMillis());
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                b.username(colon < 0 ? userInfo : userInfo.substring(0, colon))
                        .password(user -> colon < 0 ? "" : userInfo.substring(colon + 1));
            }
        });
    }

    static void headers(HttpHeaders headers, Request request, FetchOptions options) {
        if (request.contentType() != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, request.contentType());
        }
        copy(options.headers(), headers, request.sameOrigin());
        copy(request.headers(), headers, request.sameOrigin());
        if (request.sameOrigin() && options.auth().isPresent()) {
            headers.set(HttpHeaderNames.AUTHORIZATION, options.auth().headerValue());
        }
    }

    /** Sets {@code from}'s headers on {@code to}, credentials only for the origin's own host. */
    private static void copy(Map<String, String> from, HttpHeaders to, boolean sameOrigin) {
        if (from.isEmpty()) {
            return; // most requests: no allocation for them
        }
        for (Map.Entry<String, String> header : from.entrySet()) {
            if (sameOrigin || !CREDENTIAL_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                to.set(header.getKey(), header.getValue());
            }
        }
    }

    private Mono<Outcome> read(Request request, HttpClientResponse response, ByteBufFlux body, Timing timing) {
        timing.read();
        int status = response.status().code();
        String length = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        long announced = announcedLength(length);
        if (announced > options.maxBody()) {
            return Mono.error(new BodyBuffer.TooLarge("content-length " + length + " exceeds the maximum of "
                    + options.maxBody() + " bytes", status));
        }
        // Pre-size only when the length is the body's: not for a compressed body (its decompressed size
        // is unknown), nor for a 204 or 304, whose content-length describes a body they do not carry.
        boolean sized = status != 204 && status != 304
                && !response.responseHeaders().contains(HttpHeaderNames.CONTENT_ENCODING);
        BodyBuffer buffer = new BodyBuffer(options.maxBody(), status, tally, sized ? announced : -1, timing);
        return body.handle(buffer::append).then(Mono.fromSupplier(() ->
                outcome(options, request, response.status(), response.responseHeaders(), buffer.bytes())));
    }

    /**
     * The body length a {@code content-length} value announces, or -1 when there is none or it is not a
     * plain decimal number of at most 18 digits. A loop rather than a stream: it runs for every response.
     */
    static long announcedLength(String length) {
        if (length == null || length.isEmpty() || length.length() > 18) {
            return -1;
        }
        for (int i = 0; i < length.length(); i++) {
            char c = length.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(length);
    }

    /**
     * What a response read in full comes to: a redirect this fetch follows, a failure for an error
     * status, or a success with the kept headers and the body. The one place these rules live; the
     * HTTP client and the in-memory transport both end here.
     *
     * @param options the fetch's options (redirects, retry statuses, size limit)
     * @param status the status, with the reason phrase the server sent
     * @param headers the response headers
     * @param body the whole body (after decompression)
     * @throws BodyBuffer.TooLarge when the body is over the size limit
     */
    static Outcome outcome(FetchOptions options, Request request, HttpResponseStatus status, HttpHeaders headers,
            byte[] body) {
        if (body.length > options.maxBody()) {
            throw BodyBuffer.TooLarge.body(options.maxBody(), status.code());
        }
        Outcome.Redirect redirect = redirect(options, status.code(), headers.get(HttpHeaderNames.LOCATION));
        if (redirect != null) {
            return redirect;
        }
        Outcome.Failed failed = statusFailure(options, request, status, headers);
        return failed != null ? failed : new Outcome.Success(status.code(), kept(headers), body, request.text());
    }

    /**
     * The failure an error status (400 and above) stands for, retryable when the status is one of
     * the retry statuses, or null below 400; the streaming path shares it.
     */
    static Outcome.Failed statusFailure(FetchOptions options, Request request, HttpResponseStatus status,
            HttpHeaders headers) {
        if (status.code() < 400) {
            return null;
        }
        String message = (request.method() + " " + request.text() + " returned " + status.code() + " "
                + status.reasonPhrase()).strip();
        return new Outcome.Failed(Reason.HTTP_STATUS, message, status.code(), request.text(),
                options.retry().statuses().contains(status.code()), headers.get(HttpHeaderNames.RETRY_AFTER));
    }

    /**
     * The kept headers of a response, as an immutable map (so {@code Metadata} keeps it without a
     * copy); a header's values are listed only when it is present, which most of them are not.
     */
    static Map<String, String> kept(HttpHeaders headers) {
        // One lookup per name, by AsciiString (its case-insensitive hash is computed once, not per
        // response); a value is joined only when the header is repeated. This runs for every response:
        // with a contains, a getAll, a join and an array copy per header it cost 2.4 % of the event
        // loops' time at N=100000.
        String[] values = new String[KEPT_NAMES.length];
        int n = 0;
        for (int i = 0; i < KEPT_NAMES.length; i++) {
            List<String> all = headers.getAll(KEPT_NAMES[i]);
            if (!all.isEmpty()) {
                values[i] = all.size() == 1 ? all.get(0) : String.join(", ", all);
                n++;
            }
        }
        if (n == 0) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] kept = new Map.Entry[n];
        for (int i = 0, k = 0; i < values.length; i++) {
            if (values[i] != null) {
                kept[k++] = Map.entry(KEPT_HEADERS.get(i), values[i]);
            }
        }
        return Map.ofEntries(kept);
    }

    Outcome broken(Request request, Throwable error, Timing timing) {
        String what = request.method() + " " + request.text() + " failed: ";
        Throwable e = Exceptions.unwrap(error);
        if (e instanceof BodyBuffer.TooLarge tooLarge) {
            return new Outcome.Failed(Reason.TOO_LARGE, what + "too large (" + e.getMessage() + ")",
                    tooLarge.status(), request.text(), false, null);
        }
        TransportError kind = TransportError.classify(error);
        String detail = kind.what().equals(TransportError.NO_CONNECTION)
                ? "waited " + timing.connectionWaitMillis() + "ms for a connection to "
                        + Request.hostKey(request.uri())
                : TransportError.detail(error);
        return new Outcome.Failed(kind.reason(), what + kind.what() + " (" + detail + ")", 0, request.text(),
                kind.reason() != Reason.BLOCKED, null);
    }

    private TimeoutException deadlineExceeded() {
        return new TimeoutException("no complete response within " + format(options.timeout().toMillis()));
    }

    static String format(long ms) {
        return ms > 0 && ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
