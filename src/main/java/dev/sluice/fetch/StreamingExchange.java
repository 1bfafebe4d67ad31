package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.ParseException;
import dev.sluice.Reason;
import dev.sluice.Tally;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Makes one streamed request: sends it once it may go, then hands the body's chunks to a
 * {@link BodyDecoder} while they arrive, within the size limit. The returned flux does not error:
 * it emits the response head, then the decoded items, and ends with an {@link End} when something
 * failed. Redirects are followed as {@link Exchange} follows them (same limit, loop detection and
 * credential rules); retries are the caller's ({@link StreamedItems}), which knows whether items
 * already went downstream.
 */
final class StreamingExchange {

    private final Exchange exchange;
    private final FetchOptions options;
    private final Tally tally;
    private final HostGate gate;

    StreamingExchange(Exchange exchange, FetchOptions options, Tally tally, HostGate gate) {
        this.exchange = exchange;
        this.options = options;
        this.tally = tally;
        this.gate = gate;
    }

    /** What a streamed request emits. */
    sealed interface Streamed {}

    /** @param metadata the fetched item's metadata, with the response's URL, status and headers, before any item */
    record Head(Metadata metadata) implements Streamed {}

    /** @param item one decoded item, maybe failed (a bad record) */
    record Value(Item item) implements Streamed {}

    /** @param failed why the stream ended early, after the values before it */
    record End(Outcome.Failed failed) implements Streamed {}

    /** @param redirect the reply was a redirect to follow; internal, never leaves this class */
    private record Moved(Outcome.Redirect redirect) implements Streamed {}

    /**
     * Makes attempt {@code attempt} of streaming {@code request} for {@code item}.
     *
     * @param start when the first attempt started, in ms on the parallel scheduler's clock
     */
    Flux<Streamed> stream(Item item, Request request, BodyDecoder decoder, int attempt, long start) {
        List<String> chain = new ArrayList<>();
        chain.add(request.uri().toString());
        return hop(request, new Attempt(item, request, decoder, attempt, start), chain);
    }

    /** Sends one hop of the attempt's redirect chain, and the hops its redirects lead to. */
    private Flux<Streamed> hop(Request origin, Attempt attempt, List<String> chain) {
        Outcome.Failed refused = exchange.refused(attempt.request());
        if (refused != null) {
            return Flux.just(new End(refused));
        }
        return gate.enter(Request.hostKey(attempt.request().uri()))
                .thenMany(Flux.defer(() -> send(attempt)))
                .concatMap(streamed -> streamed instanceof Moved moved ? follow(origin, attempt, moved, chain)
                        : Flux.just(streamed), 1);
    }

    private Flux<Streamed> follow(Request origin, Attempt attempt, Moved moved, List<String> chain) {
        Exchange.Hop next = exchange.nextHop(origin, attempt.request(), moved.redirect(), chain);
        return next.failed() != null ? Flux.just(new End(next.failed()))
                : hop(origin, new Attempt(attempt.item(), next.request(), attempt.decoder(), attempt.number(),
                        attempt.start()), chain);
    }

    /** One attempt's inputs. */
    private record Attempt(Item item, Request request, BodyDecoder decoder, int number, long start) {}

    private Flux<Streamed> send(Attempt attempt) {
        Request request = attempt.request();
        tally.request();
        Timing timing = new Timing();
        return exchange.receiver(request)
                .response((response, body) -> read(attempt, response, body, timing))
                .takeUntilOther(timing.deadline(null, options.responseTimeout()))
                .contextWrite(timing::into)
                .onErrorResume(e -> Mono.just(new End(failure(request, e, timing))));
    }

    private Flux<Streamed> read(Attempt attempt, HttpClientResponse response, ByteBufFlux body, Timing timing) {
        timing.read();
        Request request = attempt.request();
        int status = response.status().code();
        Outcome.Redirect redirect = exchange.redirect(status, response.responseHeaders().get(HttpHeaderNames.LOCATION));
        if (redirect != null) {
            return drained(body, timing, new Moved(redirect));
        }
        Outcome.Failed failed = Exchange.statusFailure(options, request, response.status(),
                response.responseHeaders());
        if (failed != null) {
            return drained(body, timing, new End(failed));
        }
        long[] total = {0};
        Flux<java.nio.ByteBuffer> chunks = body
                .<ByteBuf>handle((chunk, sink) -> count(chunk, sink, total, status, timing))
                .map(ByteBuf::nioBuffer);
        Metadata metadata = attempt.item().metadata().withFetch(request.text(), status,
                Exchange.kept(response.responseHeaders()), attempt.number(),
                Duration.ofMillis(Schedulers.parallel().now(TimeUnit.MILLISECONDS) - attempt.start()));
        Item template = attempt.item().withMetadata(metadata);
        return Flux.concat(Mono.just(new Head(metadata)),
                attempt.decoder().items(chunks, template).map(Value::new));
    }

    /** Reads a body that is not wanted to its end (so the connection can be reused), then emits {@code last}. */
    private static Flux<Streamed> drained(ByteBufFlux body, Timing timing, Streamed last) {
        return body.doOnNext(chunk -> timing.read()).then(Mono.just(last)).flux();
    }

    private void count(ByteBuf chunk, SynchronousSink<ByteBuf> sink, long[] total, int status, Timing timing) {
        timing.read();
        int n = chunk.readableBytes();
        total[0] += n;
        tally.bytesIn(n);
        if (total[0] > options.maxBody()) {
            sink.error(BodyBuffer.TooLarge.body(options.maxBody(), status));
        } else if (n > 0) {
            sink.next(chunk);
        }
    }

    private Outcome.Failed failure(Request request, Throwable error, Timing timing) {
        Throwable e = Exceptions.unwrap(error);
        if (e instanceof ParseException) {
            return new Outcome.Failed(Reason.PARSE, e.getMessage(), 0, request.text(), false, null);
        }
        return (Outcome.Failed) exchange.broken(request, error, timing);
    }
}
