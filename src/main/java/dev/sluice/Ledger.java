package dev.sluice;

/**
 * Follows each input of a run until every item descended from it has ended, so that a later run can
 * skip the inputs an earlier one finished ({@code sluice run --state DIR}).
 *
 * <p>An input is <em>finished</em> when each of its items has ended: filtered, or written by a sink
 * that acknowledged it as durable (see {@link Acknowledgements}). The pipeline admits each input with
 * {@link #admit}; the {@link Tally} reports expansions and filtered items through {@link #opened} and
 * {@link #ended}; sinks report durable items through the pipeline's acknowledgements. Every method but
 * {@link #commit()} is thread-safe and never blocks.
 */
public interface Ledger {

    /** Follows nothing and skips nothing: a run without {@code --state}. */
    Ledger NONE = new Ledger() {
        @Override
        public boolean admit(Origin origin) {
            return true;
        }

        @Override
        public void opened(Origin origin, long items) {
            // Nothing followed.
        }

        @Override
        public void ended(Origin origin, long items) {
            // Nothing followed.
        }

        @Override
        public void commit() {
            // Nothing to keep.
        }

        @Override
        public boolean continuing() {
            return false;
        }
    };

    /**
     * Takes an input the source emitted.
     *
     * @param origin the input
     * @return false when an earlier run finished it (the pipeline skips it), true when it starts as one
     *     open item
     */
    boolean admit(Origin origin);

    /**
     * Counts more open items descended from an input: an expansion, or a step that holds the input
     * open while its items stream out.
     *
     * @param origin the input
     * @param items how many, at least 0
     */
    void opened(Origin origin, long items);

    /**
     * Counts items of an input that ended: filtered, durably written, or released by a step.
     *
     * @param origin the input
     * @param items how many, at least 0
     */
    void ended(Origin origin, long items);

    /**
     * Makes the inputs finished so far durable (for instance, appends them to a journal and syncs it).
     * Blocks: call it from a thread that may block.
     */
    void commit();

    /**
     * Tells whether an earlier run finished inputs, so sinks continue its output (append) instead of
     * replacing it.
     *
     * @return true when resuming
     */
    boolean continuing();
}
