package dev.sluice.testkit;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Arrays;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a {@link Reply} onto a Reactor Netty response. Time (delays, trickles) runs on the
 * server's own timer, never on {@code Schedulers.parallel()}, so a test that installs virtual time
 * does not freeze the server.
 */
final class Responder {

    private static final int HUGE_CHUNK = 8192;
    private static final Duration BEFORE_RESET = Duration.ofMillis(20);

    private final Scheduler timer;

    Responder(Scheduler timer) {
        this.timer = timer;
    }

    /**
     * Sends {@code reply}; {@code answering} runs just before the first byte is written (after any
     * delay), so a client cannot see the response before it has run.
     */
    Mono<Void> send(Reply reply, HttpServerResponse response, Runnable answering) {
        Mono<Void> answer = Mono.fromRunnable(answering).then(Mono.defer(() -> switch (reply.fault()) {
            case RESET -> Mono.fromRunnable(() -> close(response)).then(Mono.never());
            case STALL -> Mono.never();
            case RESET_AFTER -> resetAfter(reply, response);
            case NONE -> full(reply, response);
        }));
        return reply.delay().isZero() ? answer : Mono.delay(reply.delay(), timer).then(answer);
    }

    private Mono<Void> full(Reply reply, HttpServerResponse response) {
        head(reply, response);
        if (reply.hugeBytes() < 0) {
            response.header("content-length", Integer.toString(reply.body().length));
        }
        return response.sendByteArray(chunks(reply)).then();
    }

    private Mono<Void> resetAfter(Reply reply, HttpServerResponse response) {
        head(reply, response);
        byte[] body = reply.body();
        response.header("content-length", Integer.toString(body.length));
        byte[] part = Arrays.copyOf(body, Math.min(reply.resetAfterBytes(), body.length));
        Mono<byte[]> cut = Mono.delay(BEFORE_RESET, timer).then(Mono.fromRunnable(() -> close(response)));
        return response.sendByteArray(Flux.just(part).concatWith(cut).concatWith(Mono.never())).then();
    }

    private static void head(Reply reply, HttpServerResponse response) {
        response.status(HttpResponseStatus.valueOf(reply.status()));
        reply.headers().forEach(h -> response.addHeader(h.getKey(), h.getValue()));
    }

    private Flux<byte[]> chunks(Reply reply) {
        Flux<byte[]> chunks = reply.hugeBytes() >= 0
                ? huge(reply.hugeBytes(), reply.trickle() == null ? HUGE_CHUNK : 1)
                : slices(reply.body(), reply.trickle() == null ? Math.max(1, reply.body().length) : 1);
        return reply.trickle() == null ? chunks : chunks.delayElements(reply.trickle(), timer);
    }

    private static Flux<byte[]> slices(byte[] body, int size) {
        if (body.length == 0) {
            return Flux.empty();
        }
        return Flux.range(0, (body.length + size - 1) / size)
                .map(i -> Arrays.copyOfRange(body, i * size, Math.min(body.length, (i + 1) * size)));
    }

    private static Flux<byte[]> huge(long total, int size) {
        byte[] chunk = new byte[size];
        Arrays.fill(chunk, (byte) 'x');
        return Flux.generate(() -> 0L, (sent, sink) -> {
            if (sent >= total) {
                sink.complete();
                return sent;
            }
            int n = (int) Math.min(size, total - sent);
            sink.next(n == size ? chunk : Arrays.copyOf(chunk, n));
            return sent + n;
        });
    }

    private static void close(HttpServerResponse response) {
        response.withConnection(c -> c.channel().close());
    }
}
