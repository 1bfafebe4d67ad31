package dev.sluice;

/** Signals input that is not well-formed, with where it went wrong. */
public final class ParseException extends SluiceException {

    private static final long serialVersionUID = 1L;

    private final long line;
    private final long column;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the source
     * @param line the 1-based line, or 0 when unknown
     * @param column the 1-based column, or 0 when unknown
     * @param cause the parser's error, or null
     */
    public ParseException(String message, long line, long column, Throwable cause) {
        super(message, cause);
        this.line = line;
        this.column = column;
    }

    /**
     * Returns the line.
     *
     * @return the 1-based line, or 0 when unknown
     */
    public long line() {
        return line;
    }

    /**
     * Returns the column.
     *
     * @return the 1-based column, or 0 when unknown
     */
    public long column() {
        return column;
    }
}
