package dev.sluice.fetch;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientRequest;
import reactor.util.context.Context;

/**
 * The clock of one request, carried in the Reactor context: when it started waiting for a
 * connection, when the request went out on one, and when the response last delivered data. The
 * attempt deadline and the response timeout both start when the request goes out, so waiting for a
 * pooled connection (bounded by the pool timeout) is not request time.
 *
 * <p>One timer watches both limits ({@link #deadline}). It is set on the event loop of the
 * connection the request went out on ({@link LoopTimer}), for the nearer of the two; in the rare
 * case that it fires while data is still arriving it is set again for what is left. So a request
 * costs one timer, set and (almost always) cancelled on its own thread, and no change to the
 * connection's pipeline: Reactor Netty's own {@code responseTimeout} adds and removes a handler,
 * with a timer of its own, for every request (2 – 3 % of a run's CPU at 100,000 requests).
 * In-memory transports, and runs on a virtual clock, keep Reactor's timer, so virtual time drives
 * their deadlines.
 */
final class Timing {

    private final long start = now();
    private final Sinks.Empty<Void> sent = Sinks.empty();
    private volatile long sentAt = -1;
    private volatile long lastRead = -1;
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
        long now = now();
        lastRead = now;
        sentAt = now;
        sent.tryEmitEmpty();
    }

    /** Response data arrived: the headers or a chunk of the body. */
    void read() {
        lastRead = now();
    }

    /**
     * Watches the request once it is sent: emits 0 when {@code timeout} has passed since then (the
     * caller's deadline), and errors with {@link Idle} when no response data arrived for
     * {@code idle}. Never signals if the request is never sent.
     *
     * @param timeout the attempt deadline, or null for none
     * @param idle the response timeout: the longest wait for the headers and between two reads of
     *     the body, or null for none
     */
    Mono<Long> deadline(Duration timeout, Duration idle) {
        long total = timeout == null ? Long.MAX_VALUE : timeout.toMillis();
        long quiet = idle == null ? Long.MAX_VALUE : idle.toMillis();
        return sent.asMono().then(Mono.create(sink -> new Watch(sink, total, quiet).check()));
    }

    /** How long the request waited for a connection, so far or in all. */
    long connectionWaitMillis() {
        long end = sentAt >= 0 ? sentAt : now();
        return end - start;
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    /** No response data arrived within the response timeout. */
    static final class Idle extends TimeoutException {
        private static final long serialVersionUID = 1L;

        Idle(long millis) {
            super("no response data within " + Exchange.format(millis));
        }
    }

    /** The one timer of a sent request: checks both limits when it fires, and is set again if neither passed. */
    private final class Watch implements Runnable, Disposable {
        private final MonoSink<Long> sink;
        private final long total;
        private final long idle;
        private volatile Disposable timer;
        private volatile boolean disposed;

        Watch(MonoSink<Long> sink, long total, long idle) {
            this.sink = sink;
            this.total = total;
            this.idle = idle;
            sink.onCancel(this);
        }

        void check() {
            long now = now();
            long toDeadline = total == Long.MAX_VALUE ? Long.MAX_VALUE : sentAt + total - now;
            long toIdle = idle == Long.MAX_VALUE ? Long.MAX_VALUE : lastRead + idle - now;
            if (toDeadline <= 0) {
                sink.success(0L);
            } else if (toIdle <= 0) {
                sink.error(new Idle(idle));
            } else if (toDeadline != Long.MAX_VALUE || toIdle != Long.MAX_VALUE) {
                timer = LoopTimer.schedule(loop, this, Duration.ofMillis(Math.min(toDeadline, toIdle)));
                if (disposed) {
                    timer.dispose();
                }
            }
        }

        @Override
        public void run() {
            if (!disposed) {
                check();
            }
        }

        @Override
        public void dispose() {
            disposed = true;
            Disposable t = timer;
            if (t != null) {
                t.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }
}
