package dev.sluice.fetch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of a {@link Fetch} stage. Build variations with {@link #builder()} / {@link #toBuilder()}
 * or the {@code withX} methods; the four-argument constructor keeps every other setting at its
 * default.
 *
 * @param concurrency the most requests in flight per stage; at least 1, default 16
 * @param perHost the most connections (so requests in flight) per host, {@code scheme://host:port};
 *     at least 1, default 8. The run's connection pool is sized from it.
 * @param timeout the total deadline of one attempt, from the request being sent on a connection to
 *     its last body byte (so it also cuts a body trickling in); positive, default 30 s
 * @param responseTimeout the longest wait for the response headers, and between two reads of the
 *     body; positive, default 10 s
 * @param connectTimeout the deadline for establishing a connection; positive, default 10 s
 * @param poolTimeout the longest wait for a free connection when {@code perHost} connections to the
 *     host are busy; reported as a connect failure saying how long it waited; positive, default 60 s
 * @param headers request headers sent with every request, none by default
 * @param retry when and how failed attempts are retried, {@link RetryOptions#DEFAULTS} by default
 * @param rate the request rate per host, {@link RateLimit#UNLIMITED} by default
 * @param globalRate the request rate over all hosts, {@link RateLimit#UNLIMITED} by default
 * @param maxBody the largest body accepted, in bytes after decompression; at least 1, default 10 MiB
 * @param redirects how many redirects are followed; 0 returns the 3xx response itself; at least 0,
 *     default 5
 * @param method the request method, default GET
 * @param body the request body template, sent when not empty: each {@code {field}} is replaced by
 *     that field of the item's object value (text as is, anything else as JSON); default empty
 * @param auth the credentials, {@link Auth#NONE} by default
 * @param hosts which hosts and addresses may be requested, {@link HostPolicy#OPEN} by default
 * @param proxy the HTTP proxies, {@link ProxySettings#NONE} by default
 * @param protocols TLS verification and HTTP versions, {@link ProtocolOptions#DEFAULTS} by default
 */
public record FetchOptions(
        int concurrency,
        int perHost,
        Duration timeout,
        Duration responseTimeout,
        Duration connectTimeout,
        Duration poolTimeout,
        Map<String, String> headers,
        RetryOptions retry,
        RateLimit rate,
        RateLimit globalRate,
        long maxBody,
        int redirects,
        Method method,
        String body,
        Auth auth,
        HostPolicy hosts,
        ProxySettings proxy,
        ProtocolOptions protocols) {

    /** The default number of requests in flight. */
    public static final int DEFAULT_CONCURRENCY = 16;

    /** The default number of connections per host. */
    public static final int DEFAULT_PER_HOST = 8;

    /** The default total deadline of one attempt. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The default wait for response headers and between body reads. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The default wait for a free pooled connection. */
    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(60);

    /** The default largest body: 10 MiB. */
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    /** The default number of redirects followed. */
    public static final int DEFAULT_REDIRECTS = 5;

    /** Every setting at its default: see the record components. */
    public static final FetchOptions DEFAULTS = new FetchOptions(DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT,
            DEFAULT_CONNECT_TIMEOUT, Map.of());

    /**
     * Validates the settings and copies the headers.
     *
     * @throws IllegalArgumentException when a value is out of range, naming the field and the value
     * @throws NullPointerException when a value is null
     */
    public FetchOptions {
        requireAtLeast("concurrency", concurrency, 1);
        requireAtLeast("perHost", perHost, 1);
        requirePositive("timeout", timeout);
        requirePositive("responseTimeout", responseTimeout);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("poolTimeout", poolTimeout);
        Objects.requireNonNull(headers, "headers");
        headers.forEach(FetchOptions::requireHeader);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(globalRate, "globalRate");
        requireAtLeast("maxBody", maxBody, 1);
        requireAtLeast("redirects", redirects, 0);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(protocols, "protocols");
    }

    /**
     * Creates options with the given concurrency, timeouts and headers and every other setting at
     * its default.
     *
     * @param concurrency the most requests in flight, at least 1
     * @param timeout the total deadline of one attempt, positive
     * @param connectTimeout the connect timeout, positive
     * @param headers the request headers
     */
    public FetchOptions(int concurrency, Duration timeout, Duration connectTimeout, Map<String, String> headers) {
        this(concurrency, DEFAULT_PER_HOST, timeout, DEFAULT_RESPONSE_TIMEOUT, connectTimeout, DEFAULT_POOL_TIMEOUT,
                headers, RetryOptions.DEFAULTS, RateLimit.UNLIMITED, RateLimit.UNLIMITED, DEFAULT_MAX_BODY,
                DEFAULT_REDIRECTS, Method.GET, "", Auth.NONE, HostPolicy.OPEN, ProxySettings.NONE,
                ProtocolOptions.DEFAULTS);
    }

    /**
     * Starts a builder with every setting at its default.
     *
     * @return a new {@code Builder}
     */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /**
     * Starts a builder seeded with these options.
     *
     * @return a new {@code Builder}
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Returns these options with another concurrency.
     *
     * @param newConcurrency the maximum number of requests in flight, at least 1
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withConcurrency(int newConcurrency) {
        return toBuilder().concurrency(newConcurrency).build();
    }

    /**
     * Returns these options with another total deadline per attempt.
     *
     * @param newTimeout the deadline, positive
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withTimeout(Duration newTimeout) {
        return toBuilder().timeout(newTimeout).build();
    }

    /**
     * Returns these options with another connect timeout.
     *
     * @param newConnectTimeout the connect timeout, positive
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withConnectTimeout(Duration newConnectTimeout) {
        return toBuilder().connectTimeout(newConnectTimeout).build();
    }

    /**
     * Returns these options with other request headers, replacing all current ones.
     *
     * @param newHeaders the headers; names must not be blank
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withHeaders(Map<String, String> newHeaders) {
        return toBuilder().headers(newHeaders).build();
    }

    /**
     * Returns these options with one more request header, replacing a header of the same name.
     *
     * @param name the header name, not blank
     * @param value the value
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withHeader(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(headers);
        next.put(name, value);
        return withHeaders(next);
    }

    /**
     * Returns these options with other retry settings.
     *
     * @param newRetry the retry settings
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withRetry(RetryOptions newRetry) {
        return toBuilder().retry(newRetry).build();
    }

    /** Shows every setting, with the values of credential-like headers and the auth secret masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        headers.forEach((name, value) -> shown.put(name, sensitive(name) ? "****" : value));
        return "FetchOptions[concurrency=" + concurrency + ", perHost=" + perHost + ", timeout=" + timeout
                + ", responseTimeout=" + responseTimeout + ", connectTimeout=" + connectTimeout
                + ", poolTimeout=" + poolTimeout + ", headers=" + shown + ", retry=" + retry + ", rate=" + rate
                + ", globalRate=" + globalRate + ", maxBody=" + maxBody + ", redirects=" + redirects
                + ", method=" + method + ", body=" + (body.isEmpty() ? "none" : "template") + ", auth=" + auth + ", hosts=" + hosts + ", proxy=" + proxy + ", protocols=" + protocols + "]";
    }

    static boolean sensitive(String headerName) {
        String n = headerName.toLowerCase(Locale.ROOT);
        return n.contains("auth") || n.contains("token") || n.contains("key") || n.contains("cookie")
                || n.contains("secret");
    }

    private static void requireAtLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", was " + value);
        }
    }

    private static void requirePositive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value);
        }
    }

    private static void requireHeader(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "value of header " + name);
        if (name.isBlank()) {
            throw new IllegalArgumentException("header names must not be blank, was '" + name + "'");
        }
    }

    /**
     * Collects settings for a {@link FetchOptions}; {@link #build()} validates them. Not thread-safe.
     */
    public static final class Builder {
        private int concurrency;
        private int perHost;
        private Duration timeout;
        private Duration responseTimeout;
        private Duration connectTimeout;
        private Duration poolTimeout;
        private Map<String, String> headers;
        private RetryOptions retry;
        private RateLimit rate;
        private RateLimit globalRate;
        private long maxBody;
        private int redirects;
        private Method method;
        private String body;
        private Auth auth;
        private HostPolicy hosts;
        private ProxySettings proxy;
        private ProtocolOptions protocols;

        private Builder(FetchOptions o) {
            concurrency = o.concurrency;
            perHost = o.perHost;
            timeout = o.timeout;
            responseTimeout = o.responseTimeout;
            connectTimeout = o.connectTimeout;
            poolTimeout = o.poolTimeout;
            headers = o.headers;
            retry = o.retry;
            rate = o.rate;
            globalRate = o.globalRate;
            maxBody = o.maxBody;
            redirects = o.redirects;
            method = o.method;
            body = o.body;
            auth = o.auth;
            hosts = o.hosts;
            proxy = o.proxy;
            protocols = o.protocols;
        }

        /**
         * Sets the most requests in flight.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder concurrency(int n) {
            concurrency = n;
            return this;
        }

        /**
         * Sets the most connections per host.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder perHost(int n) {
            perHost = n;
            return this;
        }

        /**
         * Sets the total deadline of one attempt.
         *
         * @param d positive
         * @return this builder
         */
        public Builder timeout(Duration d) {
            timeout = d;
            return this;
        }

        /**
         * Sets the longest wait for response headers and between body reads.
         *
         * @param d positive
         * @return this builder
         */
        public Builder responseTimeout(Duration d) {
            responseTimeout = d;
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param d positive
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        /**
         * Sets the longest wait for a free pooled connection.
         *
         * @param d positive
         * @return this builder
         */
        public Builder poolTimeout(Duration d) {
            poolTimeout = d;
            return this;
        }

        /**
         * Sets the request headers, replacing all current ones.
         *
         * @param h the headers; names not blank
         * @return this builder
         */
        public Builder headers(Map<String, String> h) {
            headers = h;
            return this;
        }

        /**
         * Sets the retry settings.
         *
         * @param r the settings
         * @return this builder
         */
        public Builder retry(RetryOptions r) {
            retry = r;
            return this;
        }

        /**
         * Sets the request rate per host.
         *
         * @param r the rate
         * @return this builder
         */
        public Builder rate(RateLimit r) {
            rate = r;
            return this;
        }

        /**
         * Sets the request rate over all hosts.
         *
         * @param r the rate
         * @return this builder
         */
        public Builder globalRate(RateLimit r) {
            globalRate = r;
            return this;
        }

        /**
         * Sets the largest body accepted, counted after decompression.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxBody(long bytes) {
            maxBody = bytes;
            return this;
        }

        /**
         * Sets how many redirects are followed.
         *
         * @param n at least 0
         * @return this builder
         */
        public Builder redirects(int n) {
            redirects = n;
            return this;
        }

        /**
         * Sets the request method.
         *
         * @param m the method
         * @return this builder
         */
        public Builder method(Method m) {
            method = m;
            return this;
        }

        /**
         * Sets the request body template.
         *
         * @param template the template, empty for no body
         * @return this builder
         */
        public Builder body(String template) {
            body = template;
            return this;
        }

        /**
         * Sets the credentials.
         *
         * @param a the credentials
         * @return this builder
         */
        public Builder auth(Auth a) {
            auth = a;
            return this;
        }

        /**
         * Sets which hosts and addresses may be requested.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder hosts(HostPolicy policy) {
            hosts = policy;
            return this;
        }

        /**
         * Sets the HTTP proxies.
         *
         * @param settings the proxies
         * @return this builder
         */
        public Builder proxy(ProxySettings settings) {
            proxy = settings;
            return this;
        }

        /**
         * Sets TLS verification and HTTP versions.
         *
         * @param p the options
         * @return this builder
         */
        public Builder protocols(ProtocolOptions p) {
            protocols = p;
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @return a new {@code FetchOptions}
         * @throws IllegalArgumentException when a value is out of range
         */
        public FetchOptions build() {
            return new FetchOptions(concurrency, perHost, timeout, responseTimeout, connectTimeout, poolTimeout,
                    headers, retry, rate, globalRate, maxBody, redirects, method, body, auth, hosts, proxy, protocols);
        }
    }
}
