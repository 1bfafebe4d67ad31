package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Tally;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

/**
 * Turns one streamed response into items: one per decoded value, each with the item's origin and
 * the response's metadata, then a failed item if the stream ended early. Accounting: {@code n}
 * items out of one adds {@code n - 1} to {@code expanded} as they leave; none counts as filtered.
 */
final class StreamedItems {

    private final StreamingExchange exchange;
    private final BodyDecoder decoder;
    private final Tally tally;

    StreamedItems(StreamingExchange exchange, BodyDecoder decoder, Tally tally) {
        this.exchange = exchange;
        this.decoder = decoder;
        this.tally = tally;
    }

    /** Per-response state: the metadata from the head. */
    private static final class State {
        private Metadata metadata;
        private final long start = now();
    }

    Flux<Item> items(Item item, Request request) {
        return tally.expanding(item, Flux.defer(() -> {
            State state = new State();
            return exchange.stream(request, decoder)
                    .<Item>handle((streamed, sink) -> next(item, state, streamed, sink));
        }));
    }

    private void next(Item item, State state, StreamingExchange.Streamed streamed, SynchronousSink<Item> sink) {
        if (streamed instanceof StreamingExchange.Head head) {
            state.metadata = item.metadata().withFetch(head.url(), head.status(), head.headers(), 1,
                    Duration.ofMillis(now() - state.start));
        } else if (streamed instanceof StreamingExchange.Value value) {
            sink.next(item.withValue(value.value()).withMetadata(state.metadata));
        } else {
            Outcome.Failed f = ((StreamingExchange.End) streamed).failed();
            Item failed = state.metadata == null ? item : item.withMetadata(state.metadata);
            sink.next(failed.fail(HttpFetcher.STAGE, f.reason(), f.message(), f.status(), 1, f.url()));
        }
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }
}
