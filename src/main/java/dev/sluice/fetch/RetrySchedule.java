package dev.sluice.fetch;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Computes how long to wait before a retry: exponential backoff with full jitter, or what a
 * {@code Retry-After} header asks for, capped. Pure arithmetic: the caller waits with
 * {@code Mono.delay}, so the waits follow Reactor's (possibly virtual) time.
 */
final class RetrySchedule {

    private final RetryOptions options;
    private final DoubleSupplier random;

    /**
     * Creates a schedule drawing jitter from {@code random}, which returns numbers in {@code [0, 1)};
     * tests pass a seeded generator for exact waits.
     */
    RetrySchedule(RetryOptions options, DoubleSupplier random) {
        this.options = options;
        this.random = random;
    }

    RetrySchedule(RetryOptions options) {
        this(options, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): the {@code Retry-After}
     * value capped at {@code maxRetryAfter} when the header is usable, the backoff otherwise.
     *
     * @param retry the retry number, from 1
     * @param retryAfter the header value, or null
     * @param nowMillis the current time in epoch milliseconds, for HTTP-dates
     */
    Duration delay(int retry, String retryAfter, long nowMillis) {
        return retryAfter(retryAfter, nowMillis).map(this::capRetryAfter).orElseGet(() -> backoff(retry));
    }

    /** {@code min(maxBackoff, backoff * 2^(retry-1))}, times a random number in [0, 1) with jitter. */
    Duration backoff(int retry) {
        long base = options.backoff().toNanos();
        long max = options.maxBackoff().toNanos();
        int shift = Math.min(retry - 1, 62);
        long cap = base > (max >> shift) ? max : Math.min(max, base << shift);
        return Duration.ofNanos(options.jitter() ? (long) (cap * random.getAsDouble()) : cap);
    }

    private Duration capRetryAfter(Duration asked) {
        return asked.compareTo(options.maxRetryAfter()) > 0 ? options.maxRetryAfter() : asked;
    }

    /**
     * Reads a {@code Retry-After} value: delta-seconds ({@code 120}) or an HTTP-date
     * ({@code Wed, 21 Oct 2015 07:28:00 GMT}); a date in the past means no wait.
     *
     * @return the wait, or empty when the header is absent or unreadable
     */
    static Optional<Duration> retryAfter(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            return value.length() > 12 ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Optional.of(Duration.ofMillis(Math.max(0, at - nowMillis)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
