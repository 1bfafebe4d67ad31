package dev.sluice.source;

/**
 * One line of a text input with its real 1-based line number.
 *
 * @param number the 1-based line number in the input
 * @param text the line without its terminator
 */
record NumberedLine(long number, String text) {

    /** Tells whether the line holds only whitespace. */
    boolean isBlank() {
        return text.isBlank();
    }
}
