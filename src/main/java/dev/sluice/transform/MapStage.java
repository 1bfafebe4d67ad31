package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * Replaces each value with the single output of a function. No output drops the item (filtered);
 * several outputs, a null output or an exception fail it.
 */
final class MapStage implements Stage {

    static final String STEP = "map";

    private final String step;
    private final String subject;
    private final Function<JsonNode, List<JsonNode>> outputs;

    MapStage(String subject, Function<JsonNode, List<JsonNode>> outputs) {
        this(STEP, subject, outputs);
    }

    /** A map under another step name ({@code set}), which words its failures with that name. */
    MapStage(String step, String subject, Function<JsonNode, List<JsonNode>> outputs) {
        this.step = step;
        this.subject = subject;
        this.outputs = outputs;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> items.handle((item, sink) -> map(item, sink, run.tally())));
    }

    /** Emits the mapped (or failed) item, or nothing when the function had no output. */
    private void map(Item item, SynchronousSink<Item> sink, Tally tally) {
        if (item.isFailure()) {
            sink.next(item);
            return;
        }
        List<JsonNode> values;
        try {
            values = outputs.apply(item.value());
        } catch (RuntimeException e) {
            sink.next(StepFailures.fail(item, step, subject, e));
            return;
        }
        if (values.isEmpty()) {
            tally.filtered(item);
        } else if (values.size() > 1) {
            sink.next(StepFailures.fail(item, step, subject, "produced " + values.size() + " values; use explode"));
        } else if (values.get(0) == null) {
            sink.next(StepFailures.fail(item, step, subject, "returned null"));
        } else {
            sink.next(item.withValue(values.get(0)));
        }
    }
}
