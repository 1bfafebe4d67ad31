package dev.sluice.fetch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link Fetch} stage.
 *
 * @param concurrency the maximum number of requests in flight; at least 1, default 16
 * @param timeout the total deadline of one request, from connecting to the last body byte; positive,
 *     default 30 s
 * @param connectTimeout the deadline for establishing a connection; positive, default 10 s
 * @param headers request headers sent with every request, none by default
 */
public record FetchOptions(int concurrency, Duration timeout, Duration connectTimeout, Map<String, String> headers) {

    /** The default number of requests in flight. */
    public static final int DEFAULT_CONCURRENCY = 16;

    /** The default total deadline of one request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Concurrency 16, timeout 30 s, connect timeout 10 s, no headers. */
    public static final FetchOptions DEFAULTS =
            new FetchOptions(DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, Map.of());

    /**
     * Validates the settings and copies the headers.
     *
     * @throws IllegalArgumentException when a value is out of range, naming the field and the value
     * @throws NullPointerException when a value is null
     */
    public FetchOptions {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
        requirePositive("timeout", timeout);
        requirePositive("connectTimeout", connectTimeout);
        Objects.requireNonNull(headers, "headers");
        headers.forEach(FetchOptions::requireHeader);
        headers = Map.copyOf(headers);
    }

    /**
     * Returns these options with another concurrency.
     *
     * @param newConcurrency the maximum number of requests in flight, at least 1
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withConcurrency(int newConcurrency) {
        return new FetchOptions(newConcurrency, timeout, connectTimeout, headers);
    }

    /**
     * Returns these options with another total deadline per request.
     *
     * @param newTimeout the deadline, positive
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withTimeout(Duration newTimeout) {
        return new FetchOptions(concurrency, newTimeout, connectTimeout, headers);
    }

    /**
     * Returns these options with another connect timeout.
     *
     * @param newConnectTimeout the connect timeout, positive
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withConnectTimeout(Duration newConnectTimeout) {
        return new FetchOptions(concurrency, timeout, newConnectTimeout, headers);
    }

    /**
     * Returns these options with other request headers, replacing all current ones.
     *
     * @param newHeaders the headers; names must not be blank
     * @return a new {@code FetchOptions}
     */
    public FetchOptions withHeaders(Map<String, String> newHeaders) {
        return new FetchOptions(concurrency, timeout, connectTimeout, newHeaders);
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
}
