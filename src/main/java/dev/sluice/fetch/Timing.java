package dev.sluice.fetch;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientRequest;
import reactor.util.context.Context;

/**
 * The clock of one request, carried in the Reactor context: when it started waiting for a
 * connection and when the request went out on one. The attempt deadline starts at the latter, so
 * waiting for a pooled connection (bounded by the pool timeout) is not request time.
 *
 * <p>The deadline is timed by {@link LoopTimer} on the event loop of the connection the request
 * went out on: it is set and, almost always, cancelled on that thread, without waking another one.
 * In-memory transports, and runs on a virtual clock, keep Reactor's timer, so virtual time drives
 * their deadlines.
 */
final class Timing {

    private final long start = now();
    private final Sinks.Empty<Void> sent = Sinks.empty();
    private volatile long sentAt = -1;
    private volatile EventExecutor loop;

    /** Put in the context of the request's publisher. */
    Context into(Context context) {
        return context.put(Timing.class, this);
    }

    /** Reactor Netty's {@code doOnRequest} hook: the request is about to go out on a connection. */
    static void onRequest(HttpClientRequest request, Object connection) {
        request.currentContextView().<Timing>getOrEmpty(Timing.class).ifPresent(timing -> {
            if (connection instanceof Connection c) {
                timing.loop = c.channel().eventLoop();
            }
            timing.requestSent();
        });
    }

    /** The request went out (the HTTP client's hook, or an in-memory transport). */
    void requestSent() {
        sentAt = now();
        sent.tryEmitEmpty();
    }

    /** Emits {@code timeout} after the request was sent; never, if it never is. */
    Mono<Long> deadline(Duration timeout) {
        return sent.asMono().then(Mono.defer(() -> LoopTimer.delay(loop, timeout)));
    }

    /** How long the request waited for a connection, so far or in all. */
    long connectionWaitMillis() {
        long end = sentAt >= 0 ? sentAt : now();
        return end - start;
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }
}
