package dev.sluice.transform;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@code batch} step groups items: a batch is closed when it holds {@code size} items, when the
 * next item would take its JSON text over {@code bytes}, or when its first item has waited
 * {@code window}, whichever comes first.
 *
 * @param size the most items in a batch, 1 to {@value #MAX_SIZE}
 * @param bytes the most bytes of a batch's value written as compact JSON (UTF-8, brackets and commas
 *     included), at least 2; a single item larger than that forms a batch alone
 * @param window the longest a batch's first item waits, positive
 */
public record BatchOptions(int size, long bytes, Duration window) {

    /** The default size: 500 items. */
    public static final int DEFAULT_SIZE = 500;

    /** The default byte limit: 1 MB (1,048,576 bytes). */
    public static final long DEFAULT_BYTES = 1024L * 1024;

    /** The default window: 1 second. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);

    /**
     * The largest size: the batching operator reads up to four batches ahead, so the size bounds
     * memory (and keeps that read-ahead from overflowing an {@code int}).
     */
    public static final int MAX_SIZE = 100_000;

    /** 500 items, 1 MB, 1 second. */
    public static final BatchOptions DEFAULTS = new BatchOptions(DEFAULT_SIZE, DEFAULT_BYTES, DEFAULT_WINDOW);

    /** Validates the fields. */
    public BatchOptions {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be >= 1 and <= " + MAX_SIZE + ", was " + size);
        }
        if (bytes < 2) {
            throw new IllegalArgumentException("bytes must be >= 2, was " + bytes);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be > 0, was " + window);
        }
    }

    /**
     * Returns these options with another size.
     *
     * @param newSize the most items in a batch
     * @return new options
     */
    public BatchOptions withSize(int newSize) {
        return new BatchOptions(newSize, bytes, window);
    }

    /**
     * Returns these options with another byte limit.
     *
     * @param newBytes the most bytes of a batch's JSON text
     * @return new options
     */
    public BatchOptions withBytes(long newBytes) {
        return new BatchOptions(size, newBytes, window);
    }

    /**
     * Returns these options with another window.
     *
     * @param newWindow the longest a batch's first item waits
     * @return new options
     */
    public BatchOptions withWindow(Duration newWindow) {
        return new BatchOptions(size, bytes, newWindow);
    }
}
