package dev.sluice;

import java.net.URI;

/** Signals a failed HTTP exchange for one URL. */
public sealed class FetchException extends SluiceException permits HttpStatusException {

    private static final long serialVersionUID = 1L;

    private final String uri;

    /**
     * Creates the exception.
     *
     * @param uri the URL involved
     * @param message what failed
     * @param cause the underlying error, or null
     */
    public FetchException(URI uri, String message, Throwable cause) {
        super(message, cause);
        this.uri = uri.toString();
    }

    /**
     * Returns the URL involved.
     *
     * @return the URL
     */
    public URI uri() {
        return URI.create(uri);
    }
}
