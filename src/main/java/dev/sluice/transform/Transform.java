package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Stage;
import java.util.Collections;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Creates transform stages from plain Java functions over an item's value.
 *
 * <p>Every stage passes failed items through untouched and keeps each item's metadata. An exception
 * thrown by the function (any {@link RuntimeException}) fails that one item with
 * {@link dev.sluice.Reason#TRANSFORM} and a message such as
 * {@code "map function failed: <exception message>"}; the stream goes on. Functions run on the thread
 * that delivers the item, one item at a time per subscription; they must not block. For jq
 * expressions, see {@link Jq}.
 */
public final class Transform {

    private static final String SUBJECT = "function";

    private Transform() {}

    /**
     * Returns a stage that replaces each value with {@code fn}'s result. A null result fails the item
     * ({@code "map function failed: returned null"}).
     *
     * @param fn computes the new value; called once per good item
     * @return a new stage
     */
    public static Stage map(Function<JsonNode, JsonNode> fn) {
        Objects.requireNonNull(fn, "fn");
        return new MapStage(SUBJECT, value -> Collections.singletonList(fn.apply(value)));
    }

    /**
     * Returns a stage that keeps the items for which {@code predicate} is true. Dropped items are
     * counted as filtered in the run's tally.
     *
     * @param predicate decides whether an item stays; called once per good item
     * @return a new stage
     */
    public static Stage filter(Predicate<JsonNode> predicate) {
        return new FilterStage(SUBJECT, Objects.requireNonNull(predicate, "predicate"));
    }

    /**
     * Returns a stage that turns each item into one item per element of {@code fn}'s result, in order.
     * {@code n > 0} elements add {@code n - 1} to the run's {@code expanded} count; none counts the
     * item as filtered. The elements of one item are collected before the first is emitted; a null
     * result or element fails the item.
     *
     * @param fn computes the elements; called once per good item
     * @return a new stage
     */
    public static Stage explode(Function<JsonNode, ? extends Iterable<JsonNode>> fn) {
        return new ExplodeStage(SUBJECT, Objects.requireNonNull(fn, "fn"));
    }

    /**
     * Returns a stage that passes items until {@code n} good ones have passed. Failed items pass and do
     * not count towards {@code n}.
     *
     * <p>In a pipeline, reaching the limit stops the source: inputs not read yet are never read nor
     * counted. The inputs already read go on, so that each is accounted for exactly: requests in
     * flight upstream finish (within their timeout and retries) rather than being cancelled, and each
     * good item that reaches the stage beyond the limit is dropped and counted as {@code cut} (part of
     * {@code filtered}). Streams upstream of the stage that would only feed it dropped items (a body
     * being split, a pagination) are cut short at once, their input counted as cut when nothing came
     * out yet. The run completes once these have drained, and its report balances. In a resumable run
     * ({@code --state}) an input with an item cut is not finished: a resumed run does it again, so its
     * items that passed the limit are written again.
     *
     * <p>Used on its own, outside a pipeline, it completes at the limit and cancels upstream; items
     * that upstream operators discard on that cancellation are counted as filtered, and work in flight
     * asynchronously is cancelled uncounted.
     *
     * @param n how many good items to let through, at least 1
     * @return a new stage; each run counts from zero
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public static Stage limit(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        return new LimitStage(n);
    }

    /**
     * Returns a stage that drops items whose key was already seen, counting them as filtered. At most
     * {@code capacity} keys are remembered per run; when a new key would exceed that, the least
     * recently seen key is forgotten, so a later item with an evicted key passes again. Keys compare
     * with {@code equals}; an exception or a null key fails the item
     * ({@code "dedupe function failed: returned null"}).
     *
     * @param key computes an item's key, e.g. {@code v -> v.path("id").asText()}
     * @param capacity how many distinct keys to remember, at least 1
     * @return a new stage
     * @throws IllegalArgumentException when capacity is below 1
     */
    public static Stage dedupe(Function<JsonNode, ?> key, int capacity) {
        Objects.requireNonNull(key, "key");
        return new DedupeStage(SUBJECT, key::apply, capacity);
    }

    /**
     * Returns a stage that groups good items into batches, for sinks and APIs that take many records
     * at once: each batch is one item whose value is the JSON array of its members' values, in
     * arrival order. A batch closes when it holds {@link BatchOptions#size()} items, when the next
     * item would take its JSON text over {@link BatchOptions#bytes()}, or when its first item has
     * waited {@link BatchOptions#window()}, whichever comes first; the last one closes when the input
     * ends. Failed items pass at once, unbatched.
     *
     * <p>A batch of {@code n} items adds {@code n - 1} to the run's {@code merged} count, so the report
     * balances with the sink's outputs counted in batches. A batch is named after its first member's
     * input, and its {@link dev.sluice.Metadata#members()} lists every member's input: a resumable
     * run ({@code --state}) takes each of them as finished once the batch is written and acknowledged.
     *
     * @param options the limits, e.g. {@code BatchOptions.DEFAULTS.withSize(100)}
     * @return a new stage
     */
    public static Stage batch(BatchOptions options) {
        return new BatchStage(Objects.requireNonNull(options, "options"));
    }
}
