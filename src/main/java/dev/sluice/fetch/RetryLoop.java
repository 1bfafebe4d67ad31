package dev.sluice.fetch;

import dev.sluice.Tally;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs attempts until one succeeds, one fails for good, or the budget is spent; waits between them
 * with {@code Mono.delay} on the {@code parallel} scheduler, so virtual time controls the schedule.
 */
final class RetryLoop {

    private final int attempts;
    private final boolean retryAllowed;
    private final RetrySchedule schedule;
    private final BiConsumer<Outcome.Failed, Duration> beforeRetry;

    /**
     * @param attempts the attempt budget
     * @param retryAllowed false when the method must not be retried
     * @param schedule the waits
     * @param beforeRetry told about each failed attempt that will be retried and the wait before it
     */
    RetryLoop(int attempts, boolean retryAllowed, RetrySchedule schedule, BiConsumer<Outcome.Failed, Duration> beforeRetry) {
        this.attempts = attempts;
        this.retryAllowed = retryAllowed;
        this.schedule = schedule;
        this.beforeRetry = beforeRetry;
    }

    /**
     * The retry loop of a fetch stage: its retry options, no retries of a non-idempotent method
     * unless allowed, and before each retry the retry counted and, for a 429 or any Retry-After,
     * the host paused for the wait. Buffered and streamed fetches share it.
     */
    static RetryLoop forFetch(FetchOptions options, Tally tally, HostGate gate) {
        RetryOptions retry = options.retry();
        return new RetryLoop(retry.attempts(), options.method().isIdempotent() || retry.retryNonIdempotent(),
                new RetrySchedule(retry), (failed, wait) -> {
                    tally.retry();
                    if (failed.status() == 429 || failed.retryAfter() != null) {
                        gate.pause(Request.hostKey(URI.create(failed.url())), wait);
                    }
                });
    }

    /** The outcome of the last attempt made and how many attempts were made. */
    record Result(Outcome outcome, int attempts) {}

    /**
     * Runs {@code attempt} (given the attempt number, from 1) until done.
     *
     * @param attempt makes one attempt; its publisher must not error
     */
    Mono<Result> run(IntFunction<Mono<Outcome>> attempt) {
        return loop(attempt, 1);
    }

    private Mono<Result> loop(IntFunction<Mono<Outcome>> attempt, int n) {
        return Mono.defer(() -> attempt.apply(n)).flatMap(outcome -> next(attempt, n, outcome));
    }

    private Mono<Result> next(IntFunction<Mono<Outcome>> attempt, int n, Outcome outcome) {
        Duration wait = outcome instanceof Outcome.Failed failed ? retryWait(failed, n) : null;
        if (wait == null) {
            return Mono.just(new Result(outcome, n));
        }
        Mono<Result> retry = loop(attempt, n + 1);
        return wait.isZero() ? retry : Mono.delay(wait).then(retry);
    }

    /**
     * Decides whether attempt {@code n}, which ended in {@code failed}, is retried: when the failure
     * is retryable, the method may be retried and the budget is not spent. A retry is announced to
     * the {@code beforeRetry} hook. A loop of another shape (a streamed fetch, which also stops once
     * an item has left) asks this rather than deciding again.
     *
     * @param failed how the attempt ended
     * @param n the attempt's number, from 1
     * @return the wait before the next attempt, or null when there is none
     */
    Duration retryWait(Outcome.Failed failed, int n) {
        if (!failed.retryable() || !retryAllowed || n >= attempts) {
            return null;
        }
        Duration wait = schedule.delay(n, failed.retryAfter(), Schedulers.parallel().now(TimeUnit.MILLISECONDS));
        beforeRetry.accept(failed, wait);
        return wait;
    }
}
