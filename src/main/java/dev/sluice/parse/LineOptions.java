package dev.sluice.parse;

/**
 * Limits for the line-based formats ({@link Parse#ndjson(LineOptions)}, {@link Parse#lines(LineOptions)}
 * and {@link Parse#csv(CsvOptions, LineOptions)}), whose records are read one at a time while a body
 * streams in.
 *
 * <p>Only the record being read is held in memory, so this limit, not the body's size, bounds memory:
 * a line (or a CSV record, quoted line breaks included) longer than {@code maxLength} characters is
 * not kept. It becomes one failed item with reason {@code parse} whose value is its first
 * {@value #KEPT_PREFIX} characters, and the records after it still flow.
 *
 * @param maxLength the longest record accepted, in characters, without its line break; default
 *     {@value #DEFAULT_MAX_LENGTH} (8 Mi)
 */
public record LineOptions(int maxLength) {

    /** The default longest record, in characters: 8 Mi. */
    public static final int DEFAULT_MAX_LENGTH = 8 * 1024 * 1024;

    /** Characters of an over-long record kept as the failed item's value. */
    public static final int KEPT_PREFIX = 1024;

    /** The defaults: records up to 8 Mi characters. */
    public static final LineOptions DEFAULTS = new LineOptions(DEFAULT_MAX_LENGTH);

    /** Validates the limit. */
    public LineOptions {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be >= 1, was " + maxLength);
        }
    }

    /**
     * Sets the longest record accepted.
     *
     * @param chars characters, at least 1
     * @return a new {@code LineOptions}
     */
    public LineOptions withMaxLength(int chars) {
        return new LineOptions(chars);
    }
}
