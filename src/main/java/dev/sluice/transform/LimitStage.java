package dev.sluice.transform;

import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import reactor.core.publisher.Flux;

/**
 * Passes items until {@code n} good ones have passed, then completes and cancels upstream. Items that
 * upstream operators discard because of that cancellation (queued, prefetched, or the rest of an
 * explode) are counted as filtered through Reactor's discard hook, so the run still balances.
 */
final class LimitStage implements Stage {

    private final long n;

    LimitStage(long n) {
        this.n = n;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> limited(items, run.tally()));
    }

    /** Called once per subscription, so the count is per run. */
    private Flux<Item> limited(Flux<Item> items, Tally tally) {
        Count passed = new Count();
        return items.takeUntil(item -> !item.isFailure() && ++passed.value >= n)
                .doOnDiscard(Item.class, discarded -> tally.filtered(discarded));
    }

    /** Good items passed so far; touched serially, from the {@code takeUntil} predicate only. */
    private static final class Count {
        long value;
    }

    @Override
    public String toString() {
        return "LimitStage[" + n + "]";
    }
}
