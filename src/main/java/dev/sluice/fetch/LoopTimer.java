package dev.sluice.fetch;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Timers set on a Netty event loop rather than on Reactor's {@code parallel} scheduler.
 *
 * <p>A fetch sets two timers per request that almost never fire: the attempt deadline and, when
 * every pooled connection is busy (nearly always, with {@code concurrency} equal to
 * {@code per_host}), the pool's wait for a connection. On the {@code parallel} scheduler each one
 * is a cross-thread hand-off that wakes a timer thread when it is set or cancelled. On the event
 * loop that sets and cancels it, it is a queue entry on the same thread. Where no event loop is at
 * hand, and on reactor-test's virtual clock (so that virtual time still drives them), the timers
 * stay on {@code parallel}.
 */
final class LoopTimer {

    private LoopTimer() {}

    /** Runs {@code task} after {@code delay}: on the current event loop when there is one. */
    static Disposable schedule(Runnable task, Duration delay) {
        return scheduleOn(virtualClock() ? null : ThreadExecutorMap.currentExecutor(), task, delay);
    }

    /** Runs {@code task} after {@code delay} on {@code loop}, or on {@code parallel} when it is null. */
    static Disposable schedule(EventExecutor loop, Runnable task, Duration delay) {
        return scheduleOn(virtualClock() ? null : loop, task, delay);
    }

    /** Runs {@code task} after {@code delay} on {@code loop}; on {@code parallel} when it is null or shutting down. */
    private static Disposable scheduleOn(EventExecutor loop, Runnable task, Duration delay) {
        if (loop != null && !loop.isShuttingDown()) {
            try {
                ScheduledFuture<?> timer = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> timer.cancel(false);
            } catch (RejectedExecutionException e) {
                // the loop began shutting down after the check: fall through to parallel
            }
        }
        return Schedulers.parallel().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Whether Reactor's schedulers run on reactor-test's virtual clock (by class name: reactor-test
     * is optional for library users).
     */
    static boolean virtualClock() {
        Object parallel = Schedulers.parallel();
        if (parallel instanceof Supplier<?> cached) { // Reactor hands out its schedulers wrapped for caching
            parallel = cached.get();
        }
        return parallel.getClass().getName().equals("reactor.test.scheduler.VirtualTimeScheduler");
    }
}
