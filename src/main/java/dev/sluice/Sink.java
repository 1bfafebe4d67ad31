package dev.sluice;

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
}
