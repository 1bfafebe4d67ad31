package dev.sluice;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what one run does, from any thread, without locks. Stages record what the pipeline cannot
 * see from outside: items they drop ({@link #filtered()}), extra items they create
 * ({@link #expanded(long)}), requests, retries and bytes.
 *
 * <p>Obtained from the run's {@link RunContext}; {@link #report(long)} takes a consistent-enough
 * snapshot for progress lines and the final {@link RunReport}.
 */
public final class Tally {

    private final LongAdder inputs = new LongAdder();
    private final LongAdder outputs = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder expanded = new LongAdder();
    private final Map<Reason, LongAdder> deadLettered = new EnumMap<>(Reason.class);
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();

    /** Creates a tally with every counter at zero. */
    public Tally() {
        for (Reason reason : Reason.values()) {
            deadLettered.put(reason, new LongAdder());
        }
    }

    /** Counts one input read from the source. */
    public void input() {
        inputs.increment();
    }

    /** Counts one item delivered to the sink or to the subscriber of {@code items()}. */
    public void output() {
        outputs.increment();
    }

    /** Counts one item dropped on purpose (a filter said no, or an explode produced nothing). */
    public void filtered() {
        filtered.increment();
    }

    /**
     * Counts items created beyond the one that came in (an explode of one item into five adds four).
     *
     * @param extra how many more items leave than entered; must be &gt;= 0
     */
    public void expanded(long extra) {
        if (extra < 0) {
            throw new IllegalArgumentException("extra must be >= 0, was " + extra);
        }
        expanded.add(extra);
    }

    /**
     * Counts one dead-lettered item.
     *
     * @param reason why it failed
     */
    public void deadLettered(Reason reason) {
        deadLettered.get(reason).increment();
    }

    /** Counts one HTTP request sent (each attempt counts). */
    public void request() {
        requests.increment();
    }

    /** Counts one retry of an HTTP request. */
    public void retry() {
        retries.increment();
    }

    /**
     * Counts received body bytes.
     *
     * @param count bytes received
     */
    public void bytesIn(long count) {
        bytesIn.add(count);
    }

    /**
     * Takes a snapshot of the counters.
     *
     * @param elapsedMillis time since the run started
     * @return a new {@code RunReport}
     */
    public RunReport report(long elapsedMillis) {
        Map<String, Long> reasons = new java.util.TreeMap<>();
        long dead = 0;
        for (Map.Entry<Reason, LongAdder> e : deadLettered.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                reasons.put(e.getKey().code(), n);
                dead += n;
            }
        }
        return new RunReport(
                inputs.sum(),
                outputs.sum(),
                filtered.sum(),
                expanded.sum(),
                dead,
                reasons,
                requests.sum(),
                retries.sum(),
                bytesIn.sum(),
                elapsedMillis);
    }
}
