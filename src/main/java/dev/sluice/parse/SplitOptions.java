package dev.sluice.parse;

/**
 * Limits for splitting a streamed JSON body into elements ({@link Parse#split(String, SplitOptions)}).
 *
 * <p>The splitter holds one element at a time, so memory is bounded by {@code maxElementBytes}, not by
 * the size of the body: a 1 GB array streams through with the defaults.
 *
 * @param maxElementBytes the largest element accepted, in bytes of UTF-8 input; a larger one fails the
 *     body. Default 16 MiB.
 * @param maxDocumentBytes the largest body accepted, in bytes; {@link Long#MAX_VALUE} (the default)
 *     means no limit
 * @param maxNestingDepth the deepest nesting of arrays and objects accepted, counted from the root.
 *     Default 1000.
 * @param maxStringLength the longest string value (or field name) accepted, in characters. Default
 *     20,000,000; the element limit usually bites first.
 */
public record SplitOptions(long maxElementBytes, long maxDocumentBytes, int maxNestingDepth, int maxStringLength) {

    /** The default largest element: 16 MiB. */
    public static final long DEFAULT_MAX_ELEMENT_BYTES = 16L * 1024 * 1024;

    /** The defaults: 16 MiB per element, no limit on the body, nesting 1000, strings of 20,000,000 chars. */
    public static final SplitOptions DEFAULTS =
            new SplitOptions(DEFAULT_MAX_ELEMENT_BYTES, Long.MAX_VALUE, 1000, 20_000_000);

    /** Validates the limits. */
    public SplitOptions {
        atLeastOne("maxElementBytes", maxElementBytes);
        atLeastOne("maxDocumentBytes", maxDocumentBytes);
        atLeastOne("maxNestingDepth", maxNestingDepth);
        atLeastOne("maxStringLength", maxStringLength);
    }

    /**
     * Sets the largest element accepted.
     *
     * @param bytes bytes of UTF-8 input, at least 1
     * @return a new {@code SplitOptions}
     */
    public SplitOptions withMaxElementBytes(long bytes) {
        return new SplitOptions(bytes, maxDocumentBytes, maxNestingDepth, maxStringLength);
    }

    /**
     * Sets the largest body accepted.
     *
     * @param bytes bytes, at least 1; {@link Long#MAX_VALUE} for no limit
     * @return a new {@code SplitOptions}
     */
    public SplitOptions withMaxDocumentBytes(long bytes) {
        return new SplitOptions(maxElementBytes, bytes, maxNestingDepth, maxStringLength);
    }

    /**
     * Sets the deepest nesting accepted.
     *
     * @param depth levels of arrays and objects, at least 1
     * @return a new {@code SplitOptions}
     */
    public SplitOptions withMaxNestingDepth(int depth) {
        return new SplitOptions(maxElementBytes, maxDocumentBytes, depth, maxStringLength);
    }

    /**
     * Sets the longest string accepted.
     *
     * @param chars characters, at least 1
     * @return a new {@code SplitOptions}
     */
    public SplitOptions withMaxStringLength(int chars) {
        return new SplitOptions(maxElementBytes, maxDocumentBytes, maxNestingDepth, chars);
    }

    private static void atLeastOne(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }
}
