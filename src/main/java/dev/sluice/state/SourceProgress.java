package dev.sluice.state;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the journal says of one source, in a form that stays small however long the run: every input
 * at or below the {@code frontier} is finished except those still {@code open}, and the few finished
 * above it (journaled after a snapshot, before the source got there again) are listed. Inputs come in
 * increasing positions, so the frontier follows the source and {@code open} holds only the inputs in
 * flight. Not thread-safe: the owner locks.
 */
final class SourceProgress {

    final int id;
    final String name;
    long frontier = -1;
    final Set<Long> open = new HashSet<>();
    final TreeSet<Long> doneAbove = new TreeSet<>();
    long finished;
    private long lastSeen = -1;

    SourceProgress(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /** Tells whether an earlier run finished the input at {@code line}. */
    boolean finished(long line) {
        return line <= frontier ? !open.contains(line) : doneAbove.contains(line);
    }

    /**
     * Takes the input at {@code line}, which the source emitted: moves the frontier to it and opens it
     * unless it was finished earlier.
     *
     * @return true when the input is admitted, false when it is skipped
     * @throws IllegalStateException when the source went back (a position at or below one it emitted)
     */
    boolean admit(long line) {
        if (line <= lastSeen) {
            throw new IllegalStateException("cannot resume source " + name + ": input " + line + " came after "
                    + lastSeen + "; --state needs each input at a higher position than the one before");
        }
        lastSeen = line;
        boolean skip = finished(line);
        if (line > frontier) {
            frontier = line;
            if (!doneAbove.isEmpty()) {
                doneAbove.headSet(line, true).clear();
            }
        }
        if (!skip) {
            open.add(line);
        }
        return !skip;
    }

    /** Records that the journal holds the input at {@code line} as finished. */
    void done(long line) {
        finished++;
        if (line <= frontier) {
            open.remove(line);
        } else {
            doneAbove.add(line);
        }
    }

    /** Replaces the picture with a snapshot's. */
    void snapshot(long newFrontier, long newFinished, Set<Long> newOpen) {
        frontier = newFrontier;
        finished = newFinished;
        open.clear();
        open.addAll(newOpen);
        doneAbove.clear();
    }

    /** Returns a copy to write a snapshot from. */
    SourceProgress copy() {
        SourceProgress copy = new SourceProgress(id, name);
        copy.snapshot(frontier, finished, open);
        copy.doneAbove.addAll(doneAbove);
        return copy;
    }
}
