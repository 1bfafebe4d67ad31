import java.util.SplittableRandom;

/**
 * The fault mix of the soak benchmark: what the loopback server does to each input, drawn from
 * (seed, id) alone, so that the server ({@link SoakServer}) and the checker ({@link Soak}) compute
 * the same plan without sharing any state. Weights are per million inputs; most inputs succeed.
 */
final class SoakPlan {

    /** Attempts per input (the retry budget of the soak's fetch step). */
    static final int ATTEMPTS = 3;

    /** One input's fault, its weight per million, the dead-letter reason it ends with (null: an output). */
    enum Fault {
        GZIP(20_000, null), KEEP_ALIVE_CLOSE(10_000, null), REDIRECT(10_000, null),
        FLAKY_5XX(30_000, null), RATE_LIMITED(2_000, null), RESET_BEFORE(10_000, null), RESET_DURING(5_000, null),
        STALL_ONCE(200, null), TRICKLE_ONCE(200, null),
        NOT_FOUND(5_000, "http_status"), SERVER_ERROR(1_000, "http_status"), RESET_ALWAYS(1_000, "reset"),
        STALL(100, "timeout"), TRICKLE(100, "timeout"), HUGE(1_000, "too_large"), ENDLESS(1_000, "too_large"),
        GZIP_BOMB(1_000, "too_large"), REDIRECT_LOOP(1_000, "too_many_redirects"),
        /** The rest: a plain 200, which bursts and closed keep-alive connections may hit once. */
        OK(0, null);

        final int perMillion;
        final String reason;

        Fault(int perMillion, String reason) {
            this.perMillion = perMillion;
            this.reason = reason;
        }
    }

    private SoakPlan() {}

    static Fault fault(long seed, long id) {
        int draw = random(seed, id).nextInt(1_000_000);
        for (Fault f : Fault.values()) {
            if (draw < f.perMillion) {
                return f;
            }
            draw -= f.perMillion;
        }
        return Fault.OK;
    }

    /** How many attempts of a {@link Fault#FLAKY_5XX} input fail: 1 or 2. */
    static int failures(long seed, long id) {
        SplittableRandom r = random(seed, id);
        r.nextInt();
        return 1 + r.nextInt(ATTEMPTS - 1);
    }

    /** The attempts an input takes by plan; an OK input may take one more when a burst or closed connection hit it. */
    static int attempts(long seed, long id) {
        switch (fault(seed, id)) {
            case FLAKY_5XX:
                return failures(seed, id) + 1;
            case RATE_LIMITED: case RESET_BEFORE: case RESET_DURING: case STALL_ONCE: case TRICKLE_ONCE:
                return 2;
            case SERVER_ERROR: case RESET_ALWAYS: case STALL: case TRICKLE:
                return ATTEMPTS;
            default:
                return 1;
        }
    }

    private static SplittableRandom random(long seed, long id) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
    }
}
