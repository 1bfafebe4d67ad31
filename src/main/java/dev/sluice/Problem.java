package dev.sluice;

import java.util.Objects;

/**
 * One problem in a pipeline definition, with where it is.
 *
 * @param file the file name as the user gave it, or {@code "<inline>"}
 * @param line the 1-based line, or 0 when unknown
 * @param column the 1-based column, or 0 when unknown
 * @param path the JSON Pointer of the offending node, e.g. {@code /steps/0/fetch/timeout}
 * @param message what is wrong and what would be right
 */
public record Problem(String file, int line, int column, String path, String message) {

    /** Validates the fields. */
    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "/" : path) + ": " + message;
    }
}
