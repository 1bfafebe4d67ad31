package dev.sluice.sink;

import dev.sluice.Item;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes items with a fresh {@link ItemWriter} per subscription: the writer opens its target on the
 * first item (or at the end when there is none) and is closed on completion, error and cancellation.
 * Opening, writing and closing all run on boundedElastic; the items are subscribed to as soon as the
 * sink is.
 */
final class WriterSink implements Sink {

    /** Items buffered between the producing thread and the writing thread. */
    static final int PREFETCH = 256;

    private final Supplier<ItemWriter> writers;
    private final String name;

    WriterSink(Supplier<ItemWriter> writers, String name) {
        this.writers = writers;
        this.name = name;
    }

    /** A sink writing one JSON value per line (or a JSON array) with a {@link LineWriter}. */
    static WriterSink lines(Destination destination, LineFormat format, LineWriter.Framing framing) {
        return new WriterSink(() -> new LineWriter(destination, format, framing),
                framing + " " + format + " -> " + destination.name());
    }

    @Override
    public Mono<SinkReport> write(Flux<Item> items) {
        return Mono.usingWhen(
                Mono.fromSupplier(writers),
                writer -> writeAll(writer, items),
                writer -> Mono.empty(), // writeAll closed it: a failure there is the sink's error
                (writer, error) -> offloaded(writer::closeQuietly), // keep the first error
                writer -> offloaded(writer::closeQuietly));
    }

    private static Mono<SinkReport> writeAll(ItemWriter writer, Flux<Item> items) {
        // Writes block: one hop to boundedElastic, then each item is written there, in order, and the
        // writer is closed there. The items are subscribed to at once; the writer opens lazily.
        return items.publishOn(Schedulers.boundedElastic(), PREFETCH)
                .doOnNext(writer::write)
                .then(Mono.fromCallable(() -> closed(writer)));
    }

    private static SinkReport closed(ItemWriter writer) {
        writer.close();
        return new SinkReport(writer.written());
    }

    private static Mono<Void> offloaded(Runnable run) {
        return Mono.<Void>fromRunnable(run).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public String toString() {
        return "WriterSink[" + name + "]";
    }
}
