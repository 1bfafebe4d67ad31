package dev.sluice.fetch;

/** The HTTP methods a {@link Fetch} stage sends. */
public enum Method {
    /** Reads a resource; idempotent. */
    GET(true),
    /** Creates or submits; not idempotent. */
    POST(false),
    /** Replaces a resource; idempotent. */
    PUT(true),
    /** Changes part of a resource; not idempotent. */
    PATCH(false),
    /** Removes a resource; idempotent. */
    DELETE(true);

    private final boolean idempotent;

    Method(boolean idempotent) {
        this.idempotent = idempotent;
    }

    /**
     * Tells whether repeating the request has the same effect as sending it once (RFC 9110 9.2.2),
     * which is what makes a retry safe.
     *
     * @return true for GET, PUT and DELETE
     */
    public boolean isIdempotent() {
        return idempotent;
    }
}
