package dev.sluice.testkit;

import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.RunReport;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything one run of a pipeline under test produced.
 *
 * @param items the good items, in the order they left the last stage
 * @param failures the failed items (the dead letters), in the order they left the last stage
 * @param report the run's counters; {@link RunReport#isBalanced()} holds unless the run was aborted
 */
public record TestRun(List<Item> items, List<Item> failures, RunReport report) {

    /** Validates and copies the fields. */
    public TestRun {
        items = List.copyOf(items);
        failures = List.copyOf(failures);
        Objects.requireNonNull(report, "report");
    }

    /**
     * Returns the failures themselves, in order.
     *
     * @return the {@link Failure} of each failed item
     */
    public List<Failure> deadLetters() {
        return failures.stream().map(item -> item.failure().orElseThrow()).collect(Collectors.toList());
    }
}
