package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The retry schedule in virtual time, with scripted outcomes standing in for the exchange (real I/O
 * does not mix with virtual time); jitter is off so every wait is exact.
 */
class RetryLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final RetryOptions EXACT = RetryOptions.DEFAULTS
            .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
            .withJitter(false);
    private static final Outcome OK = new Outcome.Success(200, java.util.Map.of(), "ok", "http://h/x");

    private final List<Long> attemptTimes = new CopyOnWriteArrayList<>();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Test
    void serverErrorThenSuccessRetriesAfterTheBackoff() {
        StepVerifier.withVirtualTime(() -> loop(EXACT, true).run(script(status(500, null), OK)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(result -> {
                    assertThat(result.outcome()).isEqualTo(OK);
                    assertThat(result.attempts()).isEqualTo(2);
                })
                .expectComplete()
                .verify(WAIT);

        assertThat(attemptTimes).containsExactly(0L, 1000L);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void backoffDoublesBetweenAttempts() {
        RetryOptions fourAttempts = EXACT.withAttempts(4);

        StepVerifier.withVirtualTime(() -> loop(fourAttempts, true)
                        .run(script(transport(Reason.RESET), transport(Reason.CONNECT), transport(Reason.TIMEOUT), OK)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(6999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(result -> assertThat(result.attempts()).isEqualTo(4))
                .expectComplete()
                .verify(WAIT);

        assertThat(attemptTimes).containsExactly(0L, 1000L, 3000L, 7000L);
    }

    @Test
    void retryAfterSecondsSetsTheWait() {
        StepVerifier.withVirtualTime(() -> loop(EXACT, true).run(script(status(429, "5"), OK)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(4999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(result -> assertThat(result.attempts()).isEqualTo(2))
                .expectComplete()
                .verify(WAIT);

        assertThat(attemptTimes).containsExactly(0L, 5000L);
    }

    @Test
    void retryAfterDateIsReadAgainstTheSchedulerClock() {
        // the virtual clock starts at the epoch, so this date is 7 s after the start
        StepVerifier.withVirtualTime(() -> loop(EXACT, true)
                        .run(script(status(503, "Thu, 01 Jan 1970 00:00:07 GMT"), OK)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(6999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(result -> assertThat(result.attempts()).isEqualTo(2))
                .expectComplete()
                .verify(WAIT);

        assertThat(attemptTimes).containsExactly(0L, 7000L);
    }

    @Test
    void retryAfterBeyondTheMaximumWaitsTheMaximum() {
        RetryOptions capped = EXACT.withMaxRetryAfter(Duration.ofSeconds(2));

        StepVerifier.withVirtualTime(() -> loop(capped, true).run(script(status(429, "3600"), OK)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .assertNext(result -> assertThat(result.attempts()).isEqualTo(2))
                .expectComplete()
                .verify(WAIT);

        assertThat(attemptTimes).containsExactly(0L, 2000L);
    }

    @Test
    void exhaustedAttemptsEndWithTheLastFailure() {
        Outcome last = status(503, null);

        StepVerifier.withVirtualTime(() -> loop(EXACT, true)
                        .run(script(transport(Reason.RESET), transport(Reason.TIMEOUT), last, OK)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(3))
                .assertNext(result -> {
                    assertThat(result.outcome()).isSameAs(last);
                    assertThat(result.attempts()).isEqualTo(3);
                })
                .expectComplete()
                .verify(WAIT);

        assertThat(waits).hasSize(2);
    }

    @Test
    void permanentFailuresAreNotRetried() {
        Outcome notFound = new Outcome.Failed(Reason.HTTP_STATUS, "404", 404, "http://h/x", false, null);

        StepVerifier.withVirtualTime(() -> loop(EXACT, true).run(script(notFound, OK)))
                .assertNext(result -> assertThat(result).isEqualTo(new RetryLoop.Result(notFound, 1)))
                .expectComplete()
                .verify(WAIT);

        assertThat(waits).isEmpty();
    }

    @Test
    void methodsThatMayNotBeRetriedGetOneAttempt() {
        StepVerifier.withVirtualTime(() -> loop(EXACT, false).run(script(status(503, null), OK)))
                .assertNext(result -> assertThat(result.attempts()).isEqualTo(1))
                .expectComplete()
                .verify(WAIT);
    }

    private RetryLoop loop(RetryOptions options, boolean retryAllowed) {
        return new RetryLoop(options.attempts(), retryAllowed, new RetrySchedule(options),
                (failed, wait) -> waits.add(wait));
    }

    private java.util.function.IntFunction<Mono<Outcome>> script(Outcome... outcomes) {
        Deque<Outcome> left = new ArrayDeque<>(List.of(outcomes));
        return attempt -> Mono.fromSupplier(() -> {
            attemptTimes.add(Schedulers.parallel().now(TimeUnit.MILLISECONDS));
            return left.poll();
        });
    }

    private static Outcome status(int status, String retryAfter) {
        return new Outcome.Failed(Reason.HTTP_STATUS, "status " + status, status, "http://h/x", true, retryAfter);
    }

    private static Outcome transport(Reason reason) {
        return new Outcome.Failed(reason, reason.code(), 0, "http://h/x", true, null);
    }
}
