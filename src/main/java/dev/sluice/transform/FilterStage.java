package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;

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
        return RunContext.use(run -> items.handle((item, sink) -> {
            Item out = filter(item, run.tally());
            if (out != null) {
                sink.next(out);
            }
        }));
    }

    /** Returns the item when it passes (or already failed), or null when it is dropped. */
    private Item filter(Item item, Tally tally) {
        if (item.isFailure()) {
            return item;
        }
        try {
            if (predicate.test(item.value())) {
                return item;
            }
        } catch (RuntimeException e) {
            return StepFailures.fail(item, STEP, subject, e);
        }
        tally.filtered();
        return null;
    }
}
