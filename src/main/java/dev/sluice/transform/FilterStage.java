package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/** Keeps the items whose value passes a predicate and counts the others as filtered. */
final class FilterStage implements Stage {

    static final String STEP = "filter";

    private final String subject;
    private final Predicate<JsonNode> predicate;

    FilterStage(String subject, Predicate<JsonNode> predicate) {
        this.subject = subject;
        this.predicate = predicate;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> items.handle((item, sink) -> filter(item, sink, run.tally())));
    }

    /** Emits the item when it passes (or already failed), a failed item when the predicate throws. */
    private void filter(Item item, SynchronousSink<Item> sink, Tally tally) {
        if (item.isFailure()) {
            sink.next(item);
            return;
        }
        boolean keep;
        try {
            keep = predicate.test(item.value());
        } catch (RuntimeException e) {
            sink.next(StepFailures.fail(item, STEP, subject, e));
            return;
        }
        if (keep) {
            sink.next(item);
        } else {
            tally.filtered(item);
        }
    }
}
