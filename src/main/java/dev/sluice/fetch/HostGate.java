package dev.sluice.fetch;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Decides when a request to a host may go: after the host's pause (set by a 429 or a
 * {@code Retry-After}), after a token from the host's bucket and then one from the global bucket,
 * and only if no pause began while it waited for its tokens.
 * Waiting is a {@code Mono.delay}, so it is backpressure, never a drop or a blocked thread. The
 * buckets are bucket4j local buckets whose clock is Reactor's {@code parallel} scheduler, so
 * virtual time drives them.
 */
final class HostGate {

    /** bucket4j's clock: Reactor's {@code parallel} scheduler, virtual in {@code withVirtualTime}. */
    static final TimeMeter REACTOR_TIME = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nowNanos();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };

    private final RateLimit perHost;
    private final Bucket global;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();

    HostGate(RateLimit perHost, RateLimit global) {
        this.perHost = perHost;
        this.global = bucket(global);
    }

    /**
     * Whether every request may go at once, without {@link #enter}: there is no rate limit and no
     * host was ever paused. Asked when a request is about to go (at subscription), so a pause set
     * before then holds it back.
     */
    boolean isOpen() {
        return global == null && perHost.isUnlimited() && hosts.isEmpty();
    }

    /**
     * Completes when a request to {@code host} may be sent, in arrival order per bucket (a token is
     * reserved at subscription, then waited for).
     */
    Mono<Void> enter(String host) {
        return Mono.defer(() -> {
            Host h = hosts.computeIfAbsent(host, k -> new Host(bucket(perHost)));
            return pass(h);
        });
    }

    /**
     * Waits out the host's pause, then for a token from each bucket. A pause that began while the
     * request waited for its tokens (a 429 to a request sent earlier) sends it round again: it waits
     * out that pause and takes fresh tokens, so the rate holds after the pause too.
     */
    private Mono<Void> pass(Host h) {
        return waitFor(() -> h.pausedUntil.get() - nowNanos())
                .then(waitFor(() -> reserve(h.bucket)))
                .then(waitFor(() -> reserve(global)))
                .then(Mono.defer(() -> h.pausedUntil.get() > nowNanos() ? pass(h) : Mono.<Void>empty()));
    }

    /** Holds back every request to {@code host} for {@code wait} from now (the longest pause wins). */
    void pause(String host, Duration wait) {
        long until = nowNanos() + wait.toNanos();
        hosts.computeIfAbsent(host, k -> new Host(bucket(perHost))).pausedUntil.accumulateAndGet(until, Math::max);
    }

    private static Mono<Void> waitFor(LongSupplier nanos) {
        return Mono.defer(() -> {
            long wait = nanos.getAsLong();
            return wait <= 0 ? Mono.empty() : Mono.delay(Duration.ofNanos(wait)).then();
        });
    }

    private static long reserve(Bucket bucket) {
        return bucket == null ? 0 : bucket.consumeIgnoringRateLimits(1);
    }

    private static Bucket bucket(RateLimit rate) {
        if (rate.isUnlimited()) {
            return null;
        }
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.permits(), rate.period()))
                .withCustomTimePrecision(REACTOR_TIME)
                .build();
    }

    private static long nowNanos() {
        return Schedulers.parallel().now(TimeUnit.NANOSECONDS);
    }

    private record Host(Bucket bucket, AtomicLong pausedUntil) {
        Host(Bucket bucket) {
            this(bucket, new AtomicLong());
        }
    }
}
