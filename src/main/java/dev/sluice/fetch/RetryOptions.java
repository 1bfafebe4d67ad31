package dev.sluice.fetch;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link Fetch} stage retries an attempt that failed for a reason that may go away.
 *
 * <p>An attempt is retried when it broke off with a connect error, a reset or a timeout, or when the
 * server answered with one of {@link #statuses()}, as long as attempts remain and the method is
 * idempotent (GET, PUT, DELETE) or {@link #retryNonIdempotent()} is set. The wait before retry
 * {@code n} (1 for the first retry) is {@code min(maxBackoff, backoff * 2^(n-1))}, multiplied by a
 * uniform random number in {@code [0, 1)} when {@link #jitter()} is on ("full jitter"). When the
 * response carries a {@code Retry-After} header (delta-seconds or an HTTP-date), the wait is that
 * value instead, capped at {@link #maxRetryAfter()}. Waits run on Reactor's {@code parallel}
 * scheduler, so virtual time controls them.
 *
 * @param attempts the most attempts per item, the first one included; at least 1, default 3
 * @param backoff the base wait before the first retry; zero or positive, default 250 ms
 * @param maxBackoff the longest computed wait; at least {@code backoff}, default 10 s
 * @param statuses the response statuses that are retried; each 100 to 599, default 408, 425, 429,
 *     500, 502, 503, 504
 * @param maxRetryAfter the longest wait a {@code Retry-After} header can ask for; zero or positive,
 *     default 60 s
 * @param retryNonIdempotent whether POST and PATCH requests are retried too; default false
 * @param jitter whether waits are randomised (full jitter); default true. Turn it off for exact
 *     timings in tests.
 */
public record RetryOptions(
        int attempts,
        Duration backoff,
        Duration maxBackoff,
        Set<Integer> statuses,
        Duration maxRetryAfter,
        boolean retryNonIdempotent,
        boolean jitter) {

    /** The statuses retried by default: 408, 425, 429, 500, 502, 503 and 504. */
    public static final Set<Integer> DEFAULT_STATUSES = Set.of(408, 425, 429, 500, 502, 503, 504);

    /** Three attempts, 250 ms backoff, 10 s max backoff, the default statuses, Retry-After up to 60 s, jitter. */
    public static final RetryOptions DEFAULTS = new RetryOptions(
            3, Duration.ofMillis(250), Duration.ofSeconds(10), DEFAULT_STATUSES, Duration.ofSeconds(60), false, true);

    /** One attempt: nothing is retried. */
    public static final RetryOptions NONE = DEFAULTS.withAttempts(1);

    /**
     * Validates the settings and copies the statuses.
     *
     * @throws IllegalArgumentException when a value is out of range, naming the field and the value
     * @throws NullPointerException when a value is null
     */
    public RetryOptions {
        if (attempts < 1) {
            throw new IllegalArgumentException("retry attempts must be >= 1, was " + attempts);
        }
        requireNotNegative("retry backoff", backoff);
        requireNotNegative("retry maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException(
                    "retry maxBackoff must be >= backoff (" + backoff + "), was " + maxBackoff);
        }
        Objects.requireNonNull(statuses, "statuses");
        for (Integer status : statuses) {
            if (status == null || status < 100 || status > 599) {
                throw new IllegalArgumentException("retry statuses must be between 100 and 599, was " + status);
            }
        }
        statuses = Set.copyOf(statuses);
        requireNotNegative("retry maxRetryAfter", maxRetryAfter);
    }

    /**
     * Returns these options with another attempt budget.
     *
     * @param n the most attempts per item, at least 1
     * @return a new {@code RetryOptions}
     */
    public RetryOptions withAttempts(int n) {
        return new RetryOptions(n, backoff, maxBackoff, statuses, maxRetryAfter, retryNonIdempotent, jitter);
    }

    /**
     * Returns these options with another base backoff and maximum backoff.
     *
     * @param base the wait before the first retry, zero or positive
     * @param max the longest computed wait, at least {@code base}
     * @return a new {@code RetryOptions}
     */
    public RetryOptions withBackoff(Duration base, Duration max) {
        return new RetryOptions(attempts, base, max, statuses, maxRetryAfter, retryNonIdempotent, jitter);
    }

    /**
     * Returns these options retrying other statuses.
     *
     * @param newStatuses the statuses, each 100 to 599; empty retries transport errors only
     * @return a new {@code RetryOptions}
     */
    public RetryOptions withStatuses(Set<Integer> newStatuses) {
        return new RetryOptions(attempts, backoff, maxBackoff, newStatuses, maxRetryAfter, retryNonIdempotent, jitter);
    }

    /**
     * Returns these options with another cap on {@code Retry-After}.
     *
     * @param max the longest wait a {@code Retry-After} header can ask for, zero or positive
     * @return a new {@code RetryOptions}
     */
    public RetryOptions withMaxRetryAfter(Duration max) {
        return new RetryOptions(attempts, backoff, maxBackoff, statuses, max, retryNonIdempotent, jitter);
    }

    /**
     * Returns these options retrying, or not, POST and PATCH requests.
     *
     * @param retry true to retry non-idempotent methods too
     * @return a new {@code RetryOptions}
     */
    public RetryOptions withRetryNonIdempotent(boolean retry) {
        return new RetryOptions(attempts, backoff, maxBackoff, statuses, maxRetryAfter, retry, jitter);
    }

    /**
     * Returns these options with jitter on or off.
     *
     * @param on true for full jitter, false for exact waits
     * @return a new {@code RetryOptions}
     */
    public RetryOptions withJitter(boolean on) {
        return new RetryOptions(attempts, backoff, maxBackoff, statuses, maxRetryAfter, retryNonIdempotent, on);
    }

    private static void requireNotNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
    }
}
