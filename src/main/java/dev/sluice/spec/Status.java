package dev.sluice.spec;

/** How settled a component's interface is; shown in docs. */
public enum Status {
    /** May change in any release. */
    EXPERIMENTAL,
    /** Unlikely to change; changes are announced. */
    BETA,
    /** Changes only in a major release. */
    STABLE;

    /**
     * Returns the lower-case label.
     *
     * @return e.g. {@code "beta"}
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
