package dev.sluice;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accounts for one run: every input either produced outputs, was filtered, or was dead-lettered.
 *
 * <p>The invariant is {@code inputs + expanded == outputs + merged + filtered + dead_lettered}: one
 * input becomes one item; an explode into {@code n} items adds {@code n - 1} to {@code expanded} (and
 * an explode into none counts as filtered); a batch of {@code n} items adds {@code n - 1} to
 * {@code merged}, since {@code n} items leave as one; each item then ends exactly once as an output, a
 * filtered item or a dead letter. {@link #isBalanced()} checks it. Outputs are what the sink received:
 * batches, when a {@code batch} step made them.
 *
 * @param inputs items read from the source
 * @param outputs items delivered to the sink (or to the subscriber of {@code items()})
 * @param filtered items dropped on purpose
 * @param expanded extra items created by one-to-many steps
 * @param deadLettered items routed to the dead-letter sink
 * @param deadLetterReasons dead letters by {@link Reason#code()}, sorted by code
 * @param requests HTTP requests sent, each attempt counted
 * @param retries HTTP retries
 * @param bytesIn body bytes received
 * @param elapsedMillis wall time of the run
 * @param skipped inputs not run again because an earlier run finished them ({@code --state}); they
 *     are not counted in {@code inputs}
 * @param merged items merged into others: {@code n - 1} for each batch of {@code n}
 * @param cut items dropped because a {@code limit} was reached, counted in {@code filtered} too; their
 *     inputs are not finished, so a resumed run ({@code --state}) does them again
 */
public record RunReport(
        long inputs,
        long outputs,
        long filtered,
        long expanded,
        long deadLettered,
        Map<String, Long> deadLetterReasons,
        long requests,
        long retries,
        long bytesIn,
        long elapsedMillis,
        long skipped,
        long merged,
        long cut) {

    /** Copies the reasons, keeping their order. */
    public RunReport {
        deadLetterReasons = Collections.unmodifiableMap(new LinkedHashMap<>(deadLetterReasons));
    }

    /**
     * Creates a report of a run that merged and cut nothing.
     *
     * @param inputs items read from the source
     * @param outputs items delivered to the sink
     * @param filtered items dropped on purpose
     * @param expanded extra items created by one-to-many steps
     * @param deadLettered items routed to the dead-letter sink
     * @param deadLetterReasons dead letters by reason code
     * @param requests HTTP requests sent
     * @param retries HTTP retries
     * @param bytesIn body bytes received
     * @param elapsedMillis wall time of the run
     * @param skipped inputs finished by an earlier run
     */
    public RunReport(long inputs, long outputs, long filtered, long expanded, long deadLettered,
            Map<String, Long> deadLetterReasons, long requests, long retries, long bytesIn, long elapsedMillis,
            long skipped) {
        this(inputs, outputs, filtered, expanded, deadLettered, deadLetterReasons, requests, retries, bytesIn,
                elapsedMillis, skipped, 0, 0);
    }

    /**
     * Creates a report of a run that skipped, merged and cut nothing.
     *
     * @param inputs items read from the source
     * @param outputs items delivered to the sink
     * @param filtered items dropped on purpose
     * @param expanded extra items created by one-to-many steps
     * @param deadLettered items routed to the dead-letter sink
     * @param deadLetterReasons dead letters by reason code
     * @param requests HTTP requests sent
     * @param retries HTTP retries
     * @param bytesIn body bytes received
     * @param elapsedMillis wall time of the run
     */
    public RunReport(long inputs, long outputs, long filtered, long expanded, long deadLettered,
            Map<String, Long> deadLetterReasons, long requests, long retries, long bytesIn, long elapsedMillis) {
        this(inputs, outputs, filtered, expanded, deadLettered, deadLetterReasons, requests, retries, bytesIn,
                elapsedMillis, 0);
    }

    /**
     * Tells whether every input is accounted for exactly once.
     *
     * @return true when {@code inputs + expanded == outputs + merged + filtered + deadLettered}
     */
    public boolean isBalanced() {
        return inputs + expanded == outputs + merged + filtered + deadLettered;
    }

    /**
     * Returns the items still in the stages: read or created, and not ended yet. It is 0 at the end of
     * a run unless the run was aborted, which cuts them without counting them.
     *
     * @return {@code inputs + expanded - outputs - merged - filtered - deadLettered}
     */
    public long unaccounted() {
        return inputs + expanded - outputs - merged - filtered - deadLettered;
    }

    /**
     * Returns the same counts with another elapsed time.
     *
     * @param millis the elapsed time
     * @return a new {@code RunReport}
     */
    public RunReport withElapsed(long millis) {
        return new RunReport(inputs, outputs, filtered, expanded, deadLettered, deadLetterReasons, requests, retries,
                bytesIn, millis, skipped, merged, cut);
    }

    /**
     * Renders the report with snake_case field names, as {@code --report} writes it. {@code cut} counts
     * the good items a {@code limit} step cut (among {@code filtered}); {@code cut_in_flight} the items
     * a stopped or aborted run cut in the stages without ending them ({@link #unaccounted()}), so that
     * {@code inputs + expanded == outputs + merged + filtered + dead_lettered + cut_in_flight} always
     * holds, and {@code balanced} is true only when nothing was cut in flight.
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("inputs", inputs);
        node.put("outputs", outputs);
        node.put("filtered", filtered);
        node.put("expanded", expanded);
        node.put("merged", merged);
        node.put("dead_lettered", deadLettered);
        ObjectNode reasons = node.putObject("dead_letter_reasons");
        deadLetterReasons.forEach(reasons::put);
        node.put("requests", requests);
        node.put("retries", retries);
        node.put("bytes_in", bytesIn);
        node.put("elapsed_ms", elapsedMillis);
        node.put("skipped", skipped);
        node.put("cut", cut);
        node.put("cut_in_flight", unaccounted());
        node.put("balanced", isBalanced());
        return node;
    }

    /**
     * Renders the one-line summary the CLI prints.
     *
     * @return e.g. {@code "12 inputs -> 9 outputs, 1 filtered, 2 dead-lettered (http_status=2), 12 requests in 0.4 s"},
     *     with {@code "3 outputs (9 items merged into batches)"} when a batch step merged items,
     *     {@code "5 filtered (3 cut by a limit)"} when a limit cut items, and followed by
     *     {@code "; 40 inputs skipped, finished by an earlier run"} when a resumed run skipped some
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(inputs).append(" inputs -> ").append(outputs).append(" outputs");
        if (merged > 0) {
            sb.append(" (").append(merged).append(" items merged into batches)");
        }
        sb.append(", ").append(filtered).append(" filtered");
        if (cut > 0) {
            sb.append(" (").append(cut).append(" cut by a limit)");
        }
        sb.append(", ").append(deadLettered).append(" dead-lettered");
        if (!deadLetterReasons.isEmpty()) {
            sb.append(" (");
            deadLetterReasons.forEach((k, v) -> sb.append(k).append('=').append(v).append(", "));
            sb.setLength(sb.length() - 2);
            sb.append(')');
        }
        sb.append(", ").append(requests).append(" requests");
        if (retries > 0) {
            sb.append(" (").append(retries).append(" retries)");
        }
        sb.append(String.format(java.util.Locale.ROOT, " in %.1f s", elapsedMillis / 1000.0));
        if (skipped > 0) {
            sb.append("; ").append(skipped).append(" inputs skipped, finished by an earlier run");
        }
        return sb.toString();
    }
}
