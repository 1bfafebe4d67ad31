package dev.sluice;

import java.util.List;

/**
 * What a sink in a resumable run ({@code sluice run --state DIR}) is told and tells back: whether it
 * continues an earlier run's output, and which items it has made durable. An input is remembered as
 * finished only once every item descended from it was acknowledged (or filtered), so a sink must
 * acknowledge an item only when a crash can no longer lose it. Acknowledging a batch ends each of
 * its members ({@link Metadata#members()}).
 */
public interface Acknowledgements {

    /**
     * Tells whether an earlier run of the same pipeline wrote part of the output: a file sink appends
     * to it (dropping a torn last line) instead of replacing it.
     *
     * @return true when resuming
     */
    boolean continuing();

    /**
     * Records that the items are durable (written, flushed and synced, or handed to a system that
     * keeps them). Never blocks.
     *
     * @param items the items, in any order
     */
    void acknowledge(List<Item> items);

    /**
     * Makes the inputs finished by the acknowledgements so far durable in the run's state. Blocks:
     * call it from a thread that may block, after {@link #acknowledge}.
     */
    void commit();

    /**
     * Returns acknowledgements that feed a ledger.
     *
     * @param ledger the run's ledger
     * @return new acknowledgements
     */
    static Acknowledgements to(Ledger ledger) {
        return new Acknowledgements() {
            @Override
            public boolean continuing() {
                return ledger.continuing();
            }

            @Override
            public void acknowledge(List<Item> items) {
                for (Item item : items) {
                    Tally.ended(ledger, item);
                }
            }

            @Override
            public void commit() {
                ledger.commit();
            }
        };
    }
}
