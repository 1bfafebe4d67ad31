package dev.sluice;

import java.net.URI;

/** Signals a response whose status is 400 or more. */
public final class HttpStatusException extends FetchException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param uri the URL requested
     * @param status the status received
     * @param message what was received
     */
    public HttpStatusException(URI uri, int status, String message) {
        super(uri, message, null);
        this.status = status;
    }

    /**
     * Returns the status.
     *
     * @return the HTTP status
     */
    public int status() {
        return status;
    }
}
