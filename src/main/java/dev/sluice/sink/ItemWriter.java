package dev.sluice.sink;

import dev.sluice.IoReason;
import dev.sluice.Item;
import dev.sluice.SinkException;
import java.io.IOException;

/**
 * Writes items to one target, opened on first use, never by the constructor: a sink must subscribe to
 * its items at once and must not open files on the subscribing thread. Every method blocks. A
 * cancellation may close the writer from another thread while a write is in progress, so
 * implementations synchronize, and ignore writes after {@link #close()}.
 */
interface ItemWriter {

    /** Writes the item when the writer accepts it; throws {@link SinkException}. */
    void write(Item item);

    /** Returns the number of items written so far. */
    long written();

    /**
     * Flushes what was written and forces it to the storage device, so a crash cannot lose it; does
     * nothing before the target is opened. Throws {@link SinkException}.
     */
    void sync();

    /** Opens the target if needed, then completes, flushes and closes it, once; throws {@link SinkException}. */
    void close();

    /**
     * Closes like {@link #close()} but ignores a failure: the run was cancelled, or already failed
     * with an error that says more.
     */
    default void closeQuietly() {
        try {
            close();
        } catch (SinkException ignored) {
            // Nobody to tell, or a first error already on its way.
        }
    }

    /**
     * Ends a write that failed or was cancelled: closes the target if it was opened, as
     * {@link #closeQuietly()}, but opens nothing, so a run that aborts before its first item leaves
     * the previous file as it was instead of an empty one.
     */
    default void abandon() {
        closeQuietly();
    }

    /** Words an I/O failure on {@code destination}: a file's with a hint, a stream's without. */
    static SinkException cannotWrite(Destination destination, IOException e) {
        if (destination instanceof Destination.ToStream) {
            return new SinkException("cannot write " + destination.name() + ": " + IoReason.of(e), e);
        }
        return cannotWrite(destination.name(), e);
    }

    /** Words an I/O failure on the file {@code target}. */
    static SinkException cannotWrite(String target, IOException e) {
        return new SinkException("cannot write " + target + ": " + IoReason.of(e)
                + "; check that the directory exists and is writable", e);
    }
}
