package dev.sluice.fetch;

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
        if (!(outcome instanceof Outcome.Failed failed) || !failed.retryable() || !retryAllowed || n >= attempts) {
            return Mono.just(new Result(outcome, n));
        }
        Duration wait = schedule.delay(n, failed.retryAfter(), Schedulers.parallel().now(TimeUnit.MILLISECONDS));
        beforeRetry.accept(failed, wait);
        Mono<Result> retry = loop(attempt, n + 1);
        return wait.isZero() ? retry : Mono.delay(wait).then(retry);
    }
}
