package dev.sluice;

/**
 * What a sink did once it completed.
 *
 * @param written the number of items written
 */
public record SinkReport(long written) {

    /** Validates the count. */
    public SinkReport {
        if (written < 0) {
            throw new IllegalArgumentException("written must be >= 0, was " + written);
        }
    }
}
