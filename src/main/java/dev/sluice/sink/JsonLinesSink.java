package dev.sluice.sink;

import dev.sluice.Item;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes items as JSON lines to a {@link Destination}: opened on the first item (or at the end when
 * there is none), flushed and closed on completion, error and cancellation. Opening, writing and
 * closing all run on boundedElastic; the items are subscribed to as soon as the sink is.
 */
final class JsonLinesSink implements Sink {

    /** Items buffered between the producing thread and the writing thread. */
    static final int PREFETCH = 256;

    private final Destination destination;
    private final LineFormat format;

    JsonLinesSink(Destination destination, LineFormat format) {
        this.destination = destination;
        this.format = format;
    }

    @Override
    public Mono<SinkReport> write(Flux<Item> items) {
        return Mono.usingWhen(
                Mono.fromSupplier(() -> new LineWriter(destination, format)),
                writer -> writeAll(writer, items),
                writer -> Mono.empty(), // writeAll closed it: a failure there is the sink's error
                (writer, error) -> offloaded(writer::closeQuietly), // keep the first error
                writer -> offloaded(writer::closeQuietly));
    }

    private static Mono<SinkReport> writeAll(LineWriter writer, Flux<Item> items) {
        // Writes block: one hop to boundedElastic, then each item is written there, in order, and the
        // writer is closed there. The items are subscribed to at once; the writer opens lazily.
        return items.publishOn(Schedulers.boundedElastic(), PREFETCH)
                .doOnNext(writer::write)
                .then(Mono.fromCallable(() -> closed(writer)));
    }

    private static SinkReport closed(LineWriter writer) {
        writer.close();
        return new SinkReport(writer.written());
    }

    private static Mono<Void> offloaded(Runnable run) {
        return Mono.<Void>fromRunnable(run).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public String toString() {
        return "JsonLinesSink[" + format + " -> " + destination.name() + "]";
    }
}
