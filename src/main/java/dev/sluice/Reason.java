package dev.sluice;

/**
 * Why an item was dead-lettered. The {@link #code()} is the {@code reason} field of a dead-letter line.
 */
public enum Reason {
    /** The server answered with a status of 400 or more. */
    HTTP_STATUS("http_status"),
    /** A request or attempt took longer than its timeout. */
    TIMEOUT("timeout"),
    /** The connection could not be established (refused, unresolvable host, ...). */
    CONNECT("connect"),
    /** The connection was closed or reset before the exchange completed. */
    RESET("reset"),
    /** The body was larger than the configured maximum. */
    TOO_LARGE("too_large"),
    /** Redirects looped or exceeded the configured number of hops. */
    TOO_MANY_REDIRECTS("too_many_redirects"),
    /** The URL could not be parsed or is not an absolute http(s) URL. */
    INVALID_URL("invalid_url"),
    /** A host or address policy refused the request. */
    BLOCKED("blocked"),
    /** The body or record is not well-formed in its declared format. */
    PARSE("parse"),
    /** A transform (map, filter, explode, set) failed on the item. */
    TRANSFORM("transform"),
    /** A sink refused the item. */
    SINK("sink");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /**
     * Returns the snake_case code written to dead letters and reports.
     *
     * @return the code, e.g. {@code "http_status"}
     */
    public String code() {
        return code;
    }
}
