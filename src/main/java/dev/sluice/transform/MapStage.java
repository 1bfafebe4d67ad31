package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Replaces each value with the single output of a function. No output drops the item (filtered);
 * several outputs, a null output or an exception fail it.
 */
final class MapStage implements Stage {

    static final String STEP = "map";

    private final String subject;
    private final Function<JsonNode, List<JsonNode>> outputs;

    MapStage(String subject, Function<JsonNode, List<JsonNode>> outputs) {
        this.subject = subject;
        this.outputs = outputs;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> items.handle((item, sink) -> {
            Item out = map(item, run.tally());
            if (out != null) {
                sink.next(out);
            }
        }));
    }

    /** Returns the mapped item, or null when the item is dropped. */
    private Item map(Item item, Tally tally) {
        if (item.isFailure()) {
            return item;
        }
        List<JsonNode> values;
        try {
            values = outputs.apply(item.value());
        } catch (RuntimeException e) {
            return StepFailures.fail(item, STEP, subject, e);
        }
        if (values.isEmpty()) {
            tally.filtered();
            return null;
        }
        if (values.size() > 1) {
            return StepFailures.fail(item, STEP, subject, "produced " + values.size() + " values; use explode");
        }
        JsonNode value = values.get(0);
        return value == null ? StepFailures.fail(item, STEP, subject, "returned null") : item.withValue(value);
    }
}
