package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AdaptiveByteBufAllocator;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Proves {@link LibraryLockWaits} for Netty's adaptive allocator: a magazine freed on a non-blocking
 * thread while its lock is held waits for the lock instead of failing. The test holds
 * the lock itself, so the wait happens on every run; without the rule the wait fails with a
 * {@code BlockingOperationError}. It reaches into the allocator's private fields: when a Netty
 * upgrade renames them this test fails, and the rule needs a fresh look. (The Reactor rule has no
 * such test: the executor queue's lock is in {@code java.base}, closed to reflection.)
 */
class LibraryLockWaitsTest {

    @Test
    void freeingAMagazineWaitsForItsLockOnANonBlockingThread() throws Exception {
        Object magazine = sharedMagazine(new AdaptiveByteBufAllocator(true, false));
        StampedLock lock = (StampedLock) field(magazine, "allocationLock");
        Method free = magazine.getClass().getDeclaredMethod("free");
        free.setAccessible(true);
        AtomicReference<Thread> freeing = new AtomicReference<>();
        long stamp = lock.writeLock();

        StepVerifier verifier = StepVerifier.create(Mono.fromCallable(() -> {
                    freeing.set(Thread.currentThread());
                    return free.invoke(magazine) == null;
                }).subscribeOn(Schedulers.parallel()))
                .expectNext(true)
                .expectComplete()
                .verifyLater();
        boolean parked = awaitParked(freeing, Duration.ofSeconds(5));
        lock.unlockWrite(stamp);

        verifier.verify(Duration.ofSeconds(5));
        assertThat(parked).as("the freeing thread waited for the lock").isTrue();
    }

    /** A magazine shared between threads (the only kind with a lock) of the allocator's first group. */
    private static Object sharedMagazine(AdaptiveByteBufAllocator allocator) throws Exception {
        Object pooling = field(allocator, "direct");
        Object group = ((Object[]) field(pooling, "sizeClassedMagazineGroups"))[0];
        Object magazine = ((Object[]) field(group, "magazines"))[0];
        assertThat(field(magazine, "allocationLock")).as("a shared magazine has a lock").isNotNull();
        return magazine;
    }

    private static Object field(Object owner, String name) throws Exception {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }

    /** Spins until {@code thread} is parked (or {@code bound} passes): the only sign a lock waiter gives. */
    private static boolean awaitParked(AtomicReference<Thread> thread, Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < end) {
            Thread t = thread.get();
            if (t != null && t.getState() == Thread.State.WAITING) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }
}
