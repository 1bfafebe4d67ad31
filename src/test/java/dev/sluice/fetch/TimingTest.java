package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The one timer of a request, watching its attempt deadline and its response timeout, on virtual time. */
class TimingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @AfterEach
    void resetClock() {
        VirtualTimeScheduler.reset();
    }

    /** Sends the request now and reports data arriving at each of {@code reads} seconds from now. */
    private static Timing sentWithReadsAt(long... reads) {
        Timing timing = new Timing();
        timing.requestSent();
        for (long second : reads) {
            Schedulers.parallel().schedule(timing::read, second, TimeUnit.SECONDS);
        }
        return timing;
    }

    @Test
    void dataArrivingSteadilyKeepsTheResponseTimeoutOffUntilTheDeadline() {
        StepVerifier.withVirtualTime(() -> sentWithReadsAt(2, 4, 6, 8).deadline(Duration.ofSeconds(10), Duration.ofSeconds(3)))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(10).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(0L)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void dataStoppingTripsTheResponseTimeoutAfterTheLastRead() {
        StepVerifier.withVirtualTime(() -> sentWithReadsAt(2, 4).deadline(Duration.ofSeconds(10), Duration.ofSeconds(3)))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(7).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(Timing.Idle.class)
                        .hasMessage("no response data within 3s"))
                .verify(WAIT);
    }

    @Test
    void noHeadersWithinTheResponseTimeoutTripsIt() {
        StepVerifier.withVirtualTime(() -> sentWithReadsAt().deadline(Duration.ofSeconds(10), Duration.ofMillis(1500)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1499))
                .thenAwait(Duration.ofMillis(1))
                .expectError(Timing.Idle.class)
                .verify(WAIT);
    }

    @Test
    void withoutADeadlineAStreamIsWatchedForSilenceOnly() {
        long[] reads = new long[30];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = 2L * (i + 1); // every 2 s for a minute
        }
        StepVerifier.withVirtualTime(() -> sentWithReadsAt(reads).deadline(null, Duration.ofSeconds(3)))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(63).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectError(Timing.Idle.class)
                .verify(WAIT);
    }

    @Test
    void nothingIsTimedUntilTheRequestIsSent() {
        Timing[] timing = new Timing[1];
        StepVerifier.withVirtualTime(() -> {
                    timing[0] = new Timing();
                    return timing[0].deadline(Duration.ofSeconds(10), Duration.ofSeconds(3));
                })
                .expectSubscription()
                .expectNoEvent(Duration.ofHours(1))
                .then(() -> timing[0].requestSent())
                .expectNoEvent(Duration.ofSeconds(3).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectError(Timing.Idle.class)
                .verify(WAIT);
        assertThat(timing[0].connectionWaitMillis()).isEqualTo(Duration.ofHours(1).toMillis());
    }

    @Test
    void aCancelledWatchSetsNoFurtherTimers() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
        Timing timing = sentWithReadsAt(2, 4, 6);
        Mono<Long> watch = timing.deadline(Duration.ofSeconds(10), Duration.ofSeconds(3));

        // reads at 2, 4 and 6 s; the watch's timers at 3 s and (set then) at 5 s; cancelled at 4.5 s
        StepVerifier.create(watch)
                .expectSubscription()
                .then(() -> clock.advanceTimeBy(Duration.ofMillis(4500)))
                .thenCancel()
                .verify(WAIT);
        clock.advanceTimeBy(Duration.ofHours(1));
        assertThat(clock.getScheduledTaskCount()).as("reads and timers set").isEqualTo(3 + 2);
    }
}
