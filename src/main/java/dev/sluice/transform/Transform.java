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
}
