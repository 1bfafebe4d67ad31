package dev.sluice;

import java.util.Objects;

/**
 * Names the input an item descends from: the source it was read from and its 1-based position there
 * (a line number for files, an index for lists and ranges).
 *
 * <p>Every item derived from an input (by fetch, parse, explode, ...) keeps that input's origin, so a
 * dead letter always points back at the input line that produced it.
 *
 * @param source a short, human-readable name of the source, e.g. {@code "urls.txt"} or {@code "inline"}
 * @param line the 1-based position of the input in that source
 */
public record Origin(String source, long line) {

    /** Validates the fields. */
    public Origin {
        Objects.requireNonNull(source, "source");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, was " + line);
        }
    }

    /**
     * Creates an origin.
     *
     * @param source the source name
     * @param line the 1-based position
     * @return a new {@code Origin}
     */
    public static Origin of(String source, long line) {
        return new Origin(source, line);
    }

    @Override
    public String toString() {
        return source + ":" + line;
    }
}
