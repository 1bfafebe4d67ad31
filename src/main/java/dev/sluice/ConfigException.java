package dev.sluice;

import java.util.List;
import java.util.stream.Collectors;

/** Signals an invalid pipeline definition; holds every {@link Problem} found, not just the first. */
public final class ConfigException extends SluiceException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /**
     * Creates the exception.
     *
     * @param problems the problems, at least one
     */
    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")), null);
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns the problems in the order they were found.
     *
     * @return the problems
     */
    public List<Problem> problems() {
        return problems;
    }
}
