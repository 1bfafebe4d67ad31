package dev.sluice;

/**
 * The root of every exception Sluice throws: fatal problems that abort a run (an invalid definition,
 * a sink that cannot write) or that a stage turns into a per-item {@link Failure}.
 */
public abstract sealed class SluiceException extends RuntimeException
        permits ConfigException, FetchException, ParseException, SinkException {

    private static final long serialVersionUID = 1L;

    SluiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
