package dev.sluice.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one declarative test case.
 *
 * @param file the test file
 * @param name the case's name
 * @param mismatches what differed from the expectations, one readable entry each (several lines
 *     for a diff); empty when the case passed
 * @param elapsed the case's wall time
 */
public record CaseResult(String file, String name, List<String> mismatches, Duration elapsed) {

    /** Validates and copies the fields. */
    public CaseResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        mismatches = List.copyOf(mismatches);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * Tells whether every expectation held.
     *
     * @return true when there is no mismatch
     */
    public boolean passed() {
        return mismatches.isEmpty();
    }

    /**
     * Describes the outcome as the lines {@code sluice test} prints: {@code PASS name (0.4s)}, or
     * {@code FAIL name} followed by each mismatch, indented.
     *
     * @return the text, ending with a newline
     */
    public String describe() {
        StringBuilder out = new StringBuilder()
                .append(passed() ? "  PASS " : "  FAIL ").append(name)
                .append(String.format(java.util.Locale.ROOT, " (%.1fs)%n", elapsed.toMillis() / 1000.0));
        for (String mismatch : mismatches) {
            mismatch.lines().forEach(line -> out.append("      ").append(line).append(System.lineSeparator()));
        }
        return out.toString();
    }
}
