package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Tally;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns one streamed response into items: one per decoded item, each with the item's origin and the
 * response's metadata, then a failed item if the stream ended early.
 *
 * <p>Retries: an attempt that fails before its first item left (a status in the retry list, a
 * transport error) is retried as a buffered fetch is: {@link RetryLoop#retryWait} decides and times it.
 * Once an item has left, a failure is not retried (that would emit the first items twice): the input
 * ends with a failed item saying how far it got, {@code "failed after 1234 items: ..."}.
 *
 * <p>Accounting: {@code n} items out of one input add {@code n - 1} to {@code expanded} as they leave
 * (the closing failed item included); none, or a cancellation before the first, counts it as filtered.
 */
final class StreamedItems {

    private final StreamingExchange exchange;
    private final BodyDecoder decoder;
    private final Tally tally;
    private final RetryLoop retries;

    /** @param retries the stage's retry loop ({@link RetryLoop#forFetch}), shared with its buffered fetches */
    StreamedItems(StreamingExchange exchange, BodyDecoder decoder, Tally tally, RetryLoop retries) {
        this.exchange = exchange;
        this.decoder = decoder;
        this.tally = tally;
        this.retries = retries;
    }

    /** Per-input state: when it started, the last response head, and how many items left. */
    private static final class State {
        private final long start = now();
        private Metadata metadata;
        private long emitted;
    }

    Flux<Item> items(Item item, Request request) {
        return tally.expanding(item, Flux.defer(() -> {
            State state = new State();
            return attempt(item, request, state, 1).doOnNext(out -> state.emitted++);
        }));
    }

    private Flux<Item> attempt(Item item, Request request, State state, int n) {
        state.metadata = null;
        return exchange.stream(item, request, decoder, n, state.start)
                .concatMap(streamed -> next(item, request, state, n, streamed), 1);
    }

    private Flux<Item> next(Item item, Request request, State state, int n, StreamingExchange.Streamed streamed) {
        if (streamed instanceof StreamingExchange.Head head) {
            state.metadata = head.metadata();
            return Flux.empty();
        }
        if (streamed instanceof StreamingExchange.Value value) {
            return Flux.just(value.item());
        }
        Outcome.Failed f = ((StreamingExchange.End) streamed).failed();
        Duration wait = state.emitted == 0 ? retries.retryWait(f, n) : null;
        if (wait != null) {
            Flux<Item> retry = attempt(item, request, state, n + 1);
            return wait.isZero() ? retry : Mono.delay(wait).thenMany(retry);
        }
        Item base = state.metadata == null ? item : item.withMetadata(state.metadata);
        String message = state.emitted == 0 ? f.message() : "failed after " + state.emitted + " items: " + f.message();
        return Flux.just(base.fail(HttpFetcher.STAGE, f.reason(), message, f.status(), n, f.url()));
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }
}
