package dev.sluice;

import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where items go: a file, stdout, the dead-letter file, ...
 *
 * <p>A sink subscribes to the given items exactly once (it may do so late, from another thread: the
 * pipeline holds the flow until its sinks have subscribed), requests them as fast as it can write
 * them, and releases what it opened on completion, error and cancellation. Factories live in
 * {@code dev.sluice.sink.Outputs}.
 */
@FunctionalInterface
public interface Sink {

    /**
     * Writes the items.
     *
     * @param items the items to write; the sink subscribes once
     * @return a publisher that completes with the count written once everything is flushed and closed,
     *     or errors with a {@link SinkException} when writing fails
     */
    Mono<SinkReport> write(Flux<Item> items);

    /**
     * Tells why this sink cannot write a good item, if it cannot: a CSV row needs an object, a file
     * name template a value. A {@link Pipeline} asks before it routes each item, and dead-letters a
     * refused item with reason {@link Reason#SINK} and this text instead of handing it over, so one
     * unfit item does not abort the run. The default refuses nothing. Must be cheap, thread-safe and
     * free of side effects.
     *
     * @param item a good item
     * @return the reason, e.g. {@code "a CSV row needs an object, got a number (map it first)"}, or empty
     */
    default Optional<String> refusal(Item item) {
        return Optional.empty();
    }

    /**
     * Writes the items in a resumable run, acknowledging each one once it is durable. The default
     * acknowledges each item as it is handed to {@link #write(Flux)}, which is right only for a sink
     * that keeps nothing a crash could lose (a log line); the built-in file sinks override it to
     * acknowledge after they synced, and sinks that cannot continue an earlier output (a JSON array,
     * an atomic file) refuse with a {@link SinkException}.
     *
     * @param items the items to write; the sink subscribes once
     * @param acks where to acknowledge durable items
     * @return a publisher as {@link #write(Flux)}'s
     */
    default Mono<SinkReport> write(Flux<Item> items, Acknowledgements acks) {
        return write(items.doOnNext(item -> acks.acknowledge(List.of(item))));
    }
}
