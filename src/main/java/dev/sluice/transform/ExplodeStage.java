package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Turns each item into one item per element a function returns, all with the input's metadata. The
 * elements of one item are collected before any is emitted, so a function that fails halfway fails
 * the whole item instead of emitting part of it.
 */
final class ExplodeStage implements Stage {

    static final String STEP = "explode";

    private final String subject;
    private final Function<JsonNode, ? extends Iterable<JsonNode>> elements;

    ExplodeStage(String subject, Function<JsonNode, ? extends Iterable<JsonNode>> elements) {
        this.subject = subject;
        this.elements = elements;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> items.concatMapIterable(item -> explode(item, run.tally())));
    }

    private List<Item> explode(Item item, Tally tally) {
        if (item.isFailure()) {
            return List.of(item);
        }
        List<Item> out;
        try {
            out = collect(item);
        } catch (RuntimeException e) {
            return List.of(StepFailures.fail(item, STEP, subject, e));
        }
        if (out == null) {
            return List.of(StepFailures.fail(item, STEP, subject, "returned null or a null element"));
        }
        if (out.isEmpty()) {
            tally.filtered(item);
        } else {
            tally.expanded(item, out.size() - 1L);
        }
        return out;
    }

    /** Returns the new items, or null when the function returned null or a null element. */
    private List<Item> collect(Item item) {
        Iterable<JsonNode> values = elements.apply(item.value());
        if (values == null) {
            return null;
        }
        List<Item> out = new ArrayList<>();
        for (JsonNode value : values) {
            if (value == null) {
                return null;
            }
            out.add(item.withValue(value));
        }
        return out;
    }
}
