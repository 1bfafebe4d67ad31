package dev.sluice;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound (installed for every test) about two short lock waits inside Netty and Reactor
 * that their own BlockHound rules miss, so that they are not reported as blocking calls:
 * <ul>
 *   <li>Netty 4.2's adaptive buffer allocator frees a magazine under {@code StampedLock.writeLock()}
 *       when reads on several event loops contend for it (Netty 4.2.17 allows only its
 *       thread-local set-up);
 *   <li>cancelling a periodic Reactor task ({@code Flux.interval}) removes it from its executor's
 *       queue under that queue's lock (Reactor 3.8.7 allows this for one-shot tasks only).
 * </ul>
 * Both are critical sections of a few instructions, not I/O. Reported, they did harm: the
 * {@code BlockingOperationError} is thrown from inside the lock's acquire, after the thread joined
 * the lock's queue, and the queue is never repaired. The read that met it failed as a retryable
 * "unexpected error" (a too-large body then took two attempts), and threads queued behind it later
 * waited forever, which stalled whole runs of the fault suite (#8). Found by ServiceLoader, like
 * Netty's and Reactor's own rules.
 */
public final class LibraryLockWaits implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free");
        builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicWorkerTask", "dispose");
        builder.allowBlockingCallsInside("reactor.core.scheduler.InstantPeriodicWorkerTask", "dispose");
    }
}
