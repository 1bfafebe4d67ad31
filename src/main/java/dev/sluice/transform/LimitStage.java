package dev.sluice.transform;

import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;

/**
 * Passes items until {@code n} good ones have passed.
 *
 * <p>In a pipeline it then stops the run's source ({@link RunContext#stop()}) and cuts short the
 * streams upstream of it ({@link Tally#cutStreams}), but cancels nothing else: the items already read
 * go on to it, and each good one beyond the limit is dropped and counted as cut
 * ({@link Tally#cut(Item)}); failed ones pass. It completes when its upstream does. So every input
 * read ends counted, before the run's report is taken, and an input with an item cut is not finished
 * for {@code --state}. Cancelling instead would leave the requests in flight in an upstream fetch
 * uncounted: Reactor cleans up a cancelled {@code flatMap} in its drain loop, possibly after the run
 * has completed and reported.
 *
 * <p>Used on its own, outside a pipeline, there is no source to stop: it completes at the limit and
 * cancels upstream, counting the items upstream operators discard as filtered.
 */
final class LimitStage implements Stage {

    private final long n;

    LimitStage(long n) {
        this.n = n;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> run.stopsSource() ? drained(items, run) : cancelled(items, run.tally()));
    }

    /** Called once per subscription, so each run counts from zero. */
    private Flux<Item> drained(Flux<Item> items, RunContext run) {
        Limit limit = new Limit(run);
        return Tally.cutStreams(items, limit.reached.asMono()).handle(limit::pass);
    }

    private Flux<Item> cancelled(Flux<Item> items, Tally tally) {
        Count passed = new Count();
        return items.takeUntil(item -> !item.isFailure() && ++passed.value >= n)
                .doOnDiscard(Item.class, tally::filtered);
    }

    /** The count of one run in a pipeline; touched serially, from {@code handle} only. */
    private final class Limit {
        private final Sinks.Empty<Void> reached = Sinks.empty();
        private final RunContext run;
        private long passed;

        Limit(RunContext run) {
            this.run = run;
        }

        void pass(Item item, SynchronousSink<Item> sink) {
            if (item.isFailure()) {
                sink.next(item);
            } else if (passed >= n) {
                run.tally().cut(item);
            } else {
                sink.next(item);
                if (++passed == n) {
                    run.stop();
                    reached.tryEmitEmpty();
                }
            }
        }
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
