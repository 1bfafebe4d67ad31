package dev.sluice.sink;

import dev.sluice.Acknowledgements;
import dev.sluice.Item;
import dev.sluice.Sink;
import dev.sluice.SinkException;
import dev.sluice.SinkReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes items with a fresh {@link ItemWriter} per subscription: the writer opens its target on the
 * first item (or at the end when there is none) and is closed on completion, error and cancellation.
 * Opening, writing and closing all run on boundedElastic; the items are subscribed to as soon as the
 * sink is.
 *
 * <p>In a resumable run ({@link #write(Flux, Acknowledgements)}) items are written in batches of at
 * most {@link #BATCH} items or {@link #SYNC_EVERY}; after each batch the writer is synced and the
 * batch acknowledged, so what was acknowledged survives a crash. A continuing run appends to the
 * target (a torn last line dropped) instead of replacing it.
 */
final class WriterSink implements Sink {

    /** The most items handed from the producing thread to the writing thread at once. */
    static final int PREFETCH = 256;

    /** The most items written between two syncs in a resumable run. */
    static final int BATCH = 1024;

    /** How long an item may wait for others before a batch goes to the writer thread. */
    static final Duration HANDOFF_EVERY = Duration.ofMillis(10);

    /** The longest an item waits to be written and synced in a resumable run. */
    static final Duration SYNC_EVERY = Duration.ofMillis(100);

    /** How a run opens the target. */
    enum Mode {
        /** A plain run: the target is replaced, and synced by nobody. */
        REPLACE,
        /** The first run of a resumable pipeline: replaced, synced before items are acknowledged. */
        REPLACE_SYNCED,
        /** A resumed run: continued after its last whole line, synced before items are acknowledged. */
        CONTINUE_SYNCED;

        boolean continues() {
            return this == CONTINUE_SYNCED;
        }

        boolean synced() {
            return this != REPLACE;
        }
    }

    private final Function<Mode, ItemWriter> writers;
    private final String name;
    private final String unresumable;
    private final Function<Item, Optional<String>> refusal;

    /**
     * @param writers opens a writer in a mode
     * @param name names the sink in {@code toString}
     * @param unresumable why the target cannot be continued by a resumed run, or null when it can
     */
    WriterSink(Function<Mode, ItemWriter> writers, String name, String unresumable) {
        this(writers, name, unresumable, item -> Optional.empty());
    }

    /**
     * @param refusal tells why the writers could not write a good item ({@link Sink#refusal}); they
     *     still throw when handed one directly
     */
    WriterSink(Function<Mode, ItemWriter> writers, String name, String unresumable,
            Function<Item, Optional<String>> refusal) {
        this.writers = writers;
        this.name = name;
        this.unresumable = unresumable;
        this.refusal = refusal;
    }

    WriterSink(Supplier<ItemWriter> writers, String name) {
        this(mode -> writers.get(), name, null);
    }

    /** A sink writing one JSON value per line (or a JSON array) with a {@link LineWriter}. */
    static WriterSink lines(Destination destination, LineFormat format, LineWriter.Framing framing) {
        return new WriterSink(mode -> new LineWriter(destination.in(mode), format, framing),
                framing + " " + format + " -> " + destination.name(),
                framing == LineWriter.Framing.ARRAY
                        ? "cannot resume " + destination.name() + ": a JSON array (format: json) cannot be "
                                + "continued; use format: ndjson, or run without --state"
                        : null);
    }

    @Override
    public Optional<String> refusal(Item item) {
        return refusal.apply(item);
    }

    @Override
    public Mono<SinkReport> write(Flux<Item> items) {
        return using(Mode.REPLACE, writer -> writeAll(items, writer::write, () -> closed(writer)));
    }

    @Override
    public Mono<SinkReport> write(Flux<Item> items, Acknowledgements acks) {
        if (unresumable != null) {
            return Mono.error(new SinkException(unresumable, null));
        }
        Mode mode = acks.continuing() ? Mode.CONTINUE_SYNCED : Mode.REPLACE_SYNCED;
        return using(mode, writer -> acknowledged(items, writer, acks));
    }

    private Mono<SinkReport> using(Mode mode, Function<ItemWriter, Mono<SinkReport>> body) {
        return Mono.usingWhen(
                Mono.fromSupplier(() -> writers.apply(mode)),
                body,
                writer -> Mono.empty(), // the body closed it: a failure there is the sink's error
                (writer, error) -> offloaded(writer::abandon), // keep the first error
                writer -> offloaded(writer::abandon));
    }

    private static Mono<SinkReport> writeAll(Flux<Item> items, Consumer<Item> write,
            java.util.concurrent.Callable<SinkReport> close) {
        // Writes block: one hop to boundedElastic, then each item is written there, in order, and the
        // writer is closed there. Items cross in batches (one wake-up of the writing thread each, not
        // one per item: -13 % CPU in the fanout benchmark). They are subscribed to at once; the writer
        // opens lazily.
        return items.bufferTimeout(PREFETCH, HANDOFF_EVERY, true)
                .publishOn(Schedulers.boundedElastic(), 2)
                .doOnNext(batch -> batch.forEach(write))
                .then(Mono.fromCallable(close));
    }

    private static Mono<SinkReport> acknowledged(Flux<Item> items, ItemWriter writer, Acknowledgements acks) {
        // Batches form on the timer's thread; one hop to boundedElastic, where each batch is written,
        // synced and acknowledged, in order.
        return items.bufferTimeout(BATCH, SYNC_EVERY, true)
                .publishOn(Schedulers.boundedElastic(), 1)
                .doOnNext(batch -> writeSynced(writer, batch, acks))
                .then(Mono.fromCallable(() -> closedSynced(writer, acks)));
    }

    private static void writeSynced(ItemWriter writer, List<Item> batch, Acknowledgements acks) {
        batch.forEach(writer::write);
        writer.sync();
        acks.acknowledge(batch);
        acks.commit();
    }

    private static SinkReport closedSynced(ItemWriter writer, Acknowledgements acks) {
        writer.sync();
        SinkReport report = closed(writer);
        acks.commit();
        return report;
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
