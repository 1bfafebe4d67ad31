package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class LoopTimerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EventLoop loop = new DefaultEventLoop((java.util.concurrent.ThreadFactory) runnable -> new Thread(runnable, "test-loop"));

    @AfterEach
    void shutDown() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        VirtualTimeScheduler.reset();
    }

    /** Schedules a 1 ms task from {@code loop} (or from the test thread when null); emits the thread it ran on. */
    private Mono<String> threadOfTaskScheduledFrom(EventLoop from) {
        Sinks.One<String> ran = Sinks.one();
        Runnable schedule = () -> LoopTimer.schedule(() -> ran.tryEmitValue(Thread.currentThread().getName()),
                Duration.ofMillis(1));
        if (from == null) {
            schedule.run();
        } else {
            from.execute(schedule);
        }
        return ran.asMono();
    }

    @Test
    void aTimerSetOnAnEventLoopRunsOnThatLoop() {
        StepVerifier.create(threadOfTaskScheduledFrom(loop))
                .expectNext("test-loop")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aTimerSetOffAnEventLoopRunsOnReactorsParallelScheduler() {
        StepVerifier.create(threadOfTaskScheduledFrom(null))
                .assertNext(thread -> assertThat(thread).startsWith("parallel-"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aCancelledLoopTimerNeverRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Disposable> timer = new AtomicReference<>();
        // set and cancel a short timer on the loop, then let a longer one run after it would have fired
        Mono<String> later = Mono.create(sink -> loop.execute(() -> {
            timer.set(LoopTimer.schedule(() -> ran.set(true), Duration.ofMillis(5)));
            timer.get().dispose();
            LoopTimer.schedule(() -> sink.success("after"), Duration.ofMillis(50));
        }));

        StepVerifier.create(later).expectNext("after").expectComplete().verify(WAIT);
        assertThat(ran).isFalse();
    }

    /** A timer set with {@link LoopTimer#schedule(io.netty.util.concurrent.EventExecutor, Runnable, Duration)}, as a Mono of the thread it ran on. */
    private Mono<String> timerOn(EventLoop on, Duration delay) {
        return Mono.create(sink -> sink.onCancel(
                LoopTimer.schedule(on, () -> sink.success(Thread.currentThread().getName()), delay)));
    }

    @Test
    void aTimerForALoopRunsOnThatLoopAndOnAVirtualClockFollowsIt() {
        StepVerifier.create(timerOn(loop, Duration.ofMillis(1)))
                .expectNext("test-loop")
                .expectComplete()
                .verify(WAIT);

        // on reactor-test's virtual clock the same timer is an hour of virtual time, not of the loop's
        StepVerifier.withVirtualTime(() -> timerOn(loop, Duration.ofHours(1)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(59))
                .thenAwait(Duration.ofMinutes(1))
                .assertNext(thread -> assertThat(thread).isNotEqualTo("test-loop"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aTimerWithoutALoopRunsOnReactorsParallelScheduler() {
        StepVerifier.create(timerOn(null, Duration.ofMillis(1)))
                .assertNext(thread -> assertThat(thread).startsWith("parallel-"))
                .expectComplete()
                .verify(WAIT);
    }
}
