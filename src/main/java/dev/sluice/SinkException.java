package dev.sluice;

/** Signals a sink that cannot write; it aborts the run. */
public final class SinkException extends SluiceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be written where, and what to do
     * @param cause the I/O error, or null
     */
    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
