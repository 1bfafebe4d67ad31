package dev.sluice.spec;

/** The slot a component fills in a pipeline file. */
public enum Kind {
    /** {@code source:} where inputs come from. */
    SOURCE("source"),
    /** An entry of {@code steps:}. */
    STEP("step"),
    /** {@code sink:} where good items go. */
    SINK("sink"),
    /** {@code dead_letter:} where failed items go. */
    DEAD_LETTER("dead_letter");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    /**
     * Returns the name used in files, messages and docs.
     *
     * @return e.g. {@code "dead_letter"}
     */
    public String label() {
        return label;
    }
}
