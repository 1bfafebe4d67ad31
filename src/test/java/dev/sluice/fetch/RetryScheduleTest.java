package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final RetryOptions EXACT = RetryOptions.DEFAULTS
            .withBackoff(Duration.ofMillis(100), Duration.ofMillis(1000))
            .withJitter(false);

    @Test
    void backoffDoublesUpToTheMaximum() {
        RetrySchedule schedule = new RetrySchedule(EXACT);

        assertThat(schedule.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(schedule.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(schedule.backoff(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(schedule.backoff(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(schedule.backoff(500)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void fullJitterScalesTheCappedBackoffByARandomFraction() {
        Random expected = new Random(7);
        Random drawn = new Random(7);
        RetrySchedule schedule = new RetrySchedule(EXACT.withJitter(true), drawn::nextDouble);

        assertThat(schedule.backoff(1)).isEqualTo(Duration.ofNanos((long) (100_000_000L * expected.nextDouble())));
        assertThat(schedule.backoff(3)).isEqualTo(Duration.ofNanos((long) (400_000_000L * expected.nextDouble())));
        assertThat(schedule.backoff(9)).isEqualTo(Duration.ofNanos((long) (1_000_000_000L * expected.nextDouble())));
    }

    @Test
    void retryAfterInSecondsReplacesTheBackoff() {
        RetrySchedule schedule = new RetrySchedule(EXACT);

        assertThat(schedule.delay(1, "3", 0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(schedule.delay(1, " 0 ", 0)).isZero();
    }

    @Test
    void retryAfterAsHttpDateCountsFromNow() {
        RetrySchedule schedule = new RetrySchedule(EXACT);
        long now = 1_445_412_470_000L; // Wed, 21 Oct 2015 07:27:50 GMT

        assertThat(schedule.delay(1, "Wed, 21 Oct 2015 07:28:00 GMT", now)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.delay(1, "Wed, 21 Oct 2015 07:00:00 GMT", now)).isZero();
    }

    @Test
    void retryAfterIsCappedByTheMaximum() {
        RetrySchedule schedule = new RetrySchedule(EXACT.withMaxRetryAfter(Duration.ofSeconds(60)));

        assertThat(schedule.delay(1, "86400", 0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(schedule.delay(1, "Fri, 31 Dec 2100 23:59:59 GMT", 0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void unreadableRetryAfterFallsBackToTheBackoff() {
        RetrySchedule schedule = new RetrySchedule(EXACT);

        assertThat(schedule.delay(2, "soon", 0)).isEqualTo(Duration.ofMillis(200));
        assertThat(schedule.delay(2, "-5", 0)).isEqualTo(Duration.ofMillis(200));
        assertThat(schedule.delay(2, "99999999999999999999", 0)).isEqualTo(Duration.ofMillis(200));
        assertThat(schedule.delay(2, null, 0)).isEqualTo(Duration.ofMillis(200));
    }
}
