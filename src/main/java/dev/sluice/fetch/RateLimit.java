package dev.sluice.fetch;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token-bucket rate: at most {@code permits} requests per {@code period} on average, with up to
 * {@code burst} requests at once after a quiet spell. Tokens refill smoothly (one every
 * {@code period / permits}). A request that finds no token waits for one; nothing is dropped.
 *
 * <pre>{@code
 * RateLimit.parse("50/s")              // 50 per second, one at a time (burst 1)
 * RateLimit.parse("600/m").withBurst(10)
 * }</pre>
 *
 * @param permits requests per period; at least 1, or 0 for {@link #UNLIMITED}
 * @param period the period; positive, or zero for {@link #UNLIMITED}
 * @param burst the bucket capacity; at least 1, or 0 for {@link #UNLIMITED}
 */
public record RateLimit(long permits, Duration period, long burst) {

    /** No limit. */
    public static final RateLimit UNLIMITED = new RateLimit(0, Duration.ZERO, 0);

    /** The forms {@link #parse(String)} accepts, for messages. */
    public static final String ACCEPTED_FORMS = "<n>/s, <n>/m or <n>/h with n >= 1 (e.g. 50/s), or unlimited";

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,18})\\s*/\\s*([a-zA-Z]+)\\s*");

    /**
     * Validates the rate.
     *
     * @throws IllegalArgumentException when a value is out of range, naming the field and the value
     */
    public RateLimit {
        Objects.requireNonNull(period, "period");
        boolean unlimited = permits == 0 && period.isZero() && burst == 0;
        if (!unlimited) {
            if (permits < 1) {
                throw new IllegalArgumentException("rate permits must be >= 1, was " + permits);
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("rate period must be > 0, was " + period);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("rate burst must be >= 1, was " + burst);
            }
        }
    }

    /**
     * Creates a rate of {@code permits} per {@code period} with a burst of 1.
     *
     * @param permits requests per period, at least 1
     * @param period the period, positive
     * @return a new {@code RateLimit}
     */
    public static RateLimit of(long permits, Duration period) {
        return new RateLimit(permits, period, 1);
    }

    /**
     * Parses {@code <n>/s}, {@code <n>/m} or {@code <n>/h} (also {@code sec}, {@code second},
     * {@code min}, {@code minute}, {@code hour}), or {@code unlimited}; the burst is 1.
     *
     * @param text e.g. {@code "50/s"}
     * @return a new {@code RateLimit}
     * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
     */
    public static RateLimit parse(String text) {
        Objects.requireNonNull(text, "rate");
        if (text.strip().equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("rate must be " + ACCEPTED_FORMS + ", was '" + text + "'");
        }
        long permits = Long.parseLong(m.group(1));
        Duration period = unit(m.group(2).toLowerCase(Locale.ROOT));
        if (period == null) {
            throw new IllegalArgumentException("rate unit must be s, m or h in " + ACCEPTED_FORMS + ", was '"
                    + m.group(2) + "' in '" + text + "'");
        }
        if (permits < 1) {
            throw new IllegalArgumentException("rate must allow at least 1 request: " + ACCEPTED_FORMS
                    + ", was '" + text + "'");
        }
        return of(permits, period);
    }

    /**
     * Tells whether this is {@link #UNLIMITED}.
     *
     * @return true when requests are not limited
     */
    public boolean isUnlimited() {
        return permits == 0;
    }

    /**
     * Returns this rate with another burst.
     *
     * @param n the bucket capacity, at least 1
     * @return a new {@code RateLimit}
     * @throws IllegalStateException on {@link #UNLIMITED}, which has no bucket
     */
    public RateLimit withBurst(long n) {
        if (isUnlimited()) {
            throw new IllegalStateException("an unlimited rate has no burst");
        }
        return new RateLimit(permits, period, n);
    }

    @Override
    public String toString() {
        if (isUnlimited()) {
            return "unlimited";
        }
        String unit = period.equals(Duration.ofSeconds(1)) ? "s"
                : period.equals(Duration.ofMinutes(1)) ? "m"
                : period.equals(Duration.ofHours(1)) ? "h" : period.toString();
        return permits + "/" + unit + (burst == 1 ? "" : " burst " + burst);
    }

    private static Duration unit(String unit) {
        return switch (unit) {
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "m", "min", "minute" -> Duration.ofMinutes(1);
            case "h", "hour" -> Duration.ofHours(1);
            default -> null;
        };
    }
}
