package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * Drops items whose key was seen recently, remembering at most {@code capacity} keys per run: when a
 * new key would exceed it, the least recently seen key is forgotten, so an item with that key passes
 * again later. Duplicates are counted as filtered.
 */
final class DedupeStage implements Stage {

    static final String STEP = "dedupe";

    private final String subject;
    private final Function<JsonNode, Object> key;
    private final int capacity;

    DedupeStage(String subject, Function<JsonNode, Object> key, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.subject = subject;
        this.key = key;
        this.capacity = capacity;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> deduped(items, run.tally()));
    }

    /** Called once per subscription, so each run remembers its own keys. */
    private Flux<Item> deduped(Flux<Item> items, Tally tally) {
        Seen seen = new Seen(capacity);
        return items.handle((item, sink) -> dedupe(item, sink, seen, tally));
    }

    private void dedupe(Item item, SynchronousSink<Item> sink, Seen seen, Tally tally) {
        if (item.isFailure()) {
            sink.next(item);
            return;
        }
        Object k;
        try {
            k = key.apply(item.value());
        } catch (RuntimeException e) {
            sink.next(StepFailures.fail(item, STEP, subject, e));
            return;
        }
        if (k == null) {
            sink.next(StepFailures.fail(item, STEP, subject, "returned null"));
        } else if (seen.put(k, Boolean.TRUE) == null) {
            sink.next(item);
        } else {
            tally.filtered(item);
        }
    }

    /** Keys in access order; putting a key refreshes it, and the eldest goes when over capacity. */
    private static final class Seen extends LinkedHashMap<Object, Boolean> {

        private static final long serialVersionUID = 1L;

        private final int capacity;

        Seen(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
            return size() > capacity;
        }
    }

    @Override
    public String toString() {
        return "DedupeStage[" + subject + ", capacity " + capacity + "]";
    }
}
