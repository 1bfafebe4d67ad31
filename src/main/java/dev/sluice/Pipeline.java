package dev.sluice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Composes a {@link Source}, {@link Stage}s and {@link Sink}s into a runnable pipeline.
 *
 * <p>A pipeline is an immutable value: {@link #then}, {@link #to} and {@link #deadLetterTo} return
 * new pipelines, so a base can be shared and varied. Nothing happens until a publisher returned by
 * {@link #items()}, {@link #results()} or {@link #run()} is subscribed, and each subscription is an
 * independent run with its own {@link RunContext} (counters, connection pool) disposed at its end.
 *
 * <pre>{@code
 * Flux<Item> items = Pipeline.from(Inputs.urls(List.of("http://127.0.0.1:8080/a.json")))
 *         .then(Fetch.get().concurrency(16))
 *         .then(Parse.json())
 *         .then(Transform.filter(v -> v.path("score").asInt() >= 50))
 *         .items();
 * }</pre>
 *
 * <p>Failed items never end the stream: they are routed to the dead-letter sink (by default they are
 * logged at WARN and counted). The error channel carries only fatal problems, such as a sink that
 * cannot write. Backpressure flows from the subscriber (or sink) back to the source.
 */
public final class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private static final Sink LOG_DEAD_LETTERS = items -> items
            .doOnNext(item -> LOG.warn("dead letter (no dead_letter sink configured): {}", item))
            .count()
            .map(SinkReport::new);

    /** How a run hands items to a sink: plainly, or with acknowledgements when it is resumable. */
    private static Mono<SinkReport> write(Sink sink, Flux<Item> items, RunContext run) {
        return run.ledger() == Ledger.NONE
                ? sink.write(items)
                : sink.write(items, Acknowledgements.to(run.ledger()));
    }

    /** Items buffered between the last stage and the two sinks; bounds read-ahead for slow sinks. */
    private static final int PREFETCH = 32;

    private final Source source;
    private final List<Stage> stages;
    private final Sink sink;
    private final Sink deadLetter;

    private Pipeline(Source source, List<Stage> stages, Sink sink, Sink deadLetter) {
        this.source = source;
        this.stages = List.copyOf(stages);
        this.sink = sink;
        this.deadLetter = deadLetter;
    }

    /**
     * Starts a pipeline reading from {@code source}.
     *
     * @param source where inputs come from
     * @return a new {@code Pipeline} with no stages and no sink
     */
    public static Pipeline from(Source source) {
        return new Pipeline(Objects.requireNonNull(source, "source"), List.of(), null, LOG_DEAD_LETTERS);
    }

    /**
     * Returns the dead-letter sink used when none is set: it logs each failed item at WARN (through
     * SLF4J) and counts it, so nothing is dropped silently.
     *
     * @return the shared logging dead-letter sink
     */
    public static Sink loggedDeadLetters() {
        return LOG_DEAD_LETTERS;
    }

    /**
     * Appends a stage.
     *
     * @param stage the next step
     * @return a new {@code Pipeline}
     */
    public Pipeline then(Stage stage) {
        List<Stage> next = new ArrayList<>(stages);
        next.add(Objects.requireNonNull(stage, "stage"));
        return new Pipeline(source, next, sink, deadLetter);
    }

    /**
     * Sets the sink that {@link #run()} writes good items to.
     *
     * @param newSink the sink
     * @return a new {@code Pipeline}
     */
    public Pipeline to(Sink newSink) {
        return new Pipeline(source, stages, Objects.requireNonNull(newSink, "sink"), deadLetter);
    }

    /**
     * Sets the sink that failed items go to, one entry per failed item. By default they are logged
     * at WARN and counted.
     *
     * @param newDeadLetter the dead-letter sink
     * @return a new {@code Pipeline}
     */
    public Pipeline deadLetterTo(Sink newDeadLetter) {
        return new Pipeline(source, stages, sink, Objects.requireNonNull(newDeadLetter, "deadLetter"));
    }

    /**
     * Returns every item that leaves the last stage, failed ones included (see {@link Item#isFailure()}),
     * without writing anything. Useful in tests and for custom routing.
     *
     * @return a cold flux; each subscription is a new run
     */
    public Flux<Item> results() {
        return Flux.usingWhen(Mono.fromSupplier(RunContext::new), this::flow, RunContext::close);
    }

    /**
     * Returns every item that leaves the last stage, as {@link #results()}, in a context the caller
     * keeps (to read its tally afterwards, rewrite URLs, or stop the run).
     *
     * @param context a fresh context; it serves one run
     * @return a cold flux
     */
    public Flux<Item> results(RunContext context) {
        Objects.requireNonNull(context, "context");
        return Flux.usingWhen(Mono.just(context), this::flow, RunContext::close);
    }

    /**
     * Returns the good items that leave the last stage, for the caller to keep composing; failed items
     * go to the dead-letter sink while the flux runs. Cancelling the flux cancels the run and closes
     * the dead-letter sink.
     *
     * @return a cold flux; each subscription is a new run
     */
    public Flux<Item> items() {
        return Flux.usingWhen(
                Mono.fromSupplier(RunContext::new),
                run -> {
                    Flux<Item> all = shared(flow(run));
                    return Flux.merge(
                            all.filter(item -> !item.isFailure()).doOnNext(item -> delivered(run, item)),
                            deadLetters(run, all).then(Mono.<Item>empty()));
                },
                RunContext::close);
    }

    /**
     * Runs the pipeline into its sink and dead-letter sink and reports what happened.
     *
     * @return a publisher of the report, emitted once both sinks are flushed and closed; it errors
     *     with a {@link SinkException} when a sink cannot write
     * @throws IllegalStateException when no sink was set with {@link #to(Sink)}
     */
    public Mono<RunReport> run() {
        requireSink();
        return Mono.usingWhen(Mono.fromSupplier(RunContext::new), this::runWith, RunContext::close);
    }

    /**
     * Runs the pipeline with a context the caller keeps, to watch its {@link RunContext#tally()} while
     * it runs (progress) or to stop it gracefully ({@link RunContext#stop()}, {@link RunContext#abort()}).
     * A context serves one run; its resources are disposed when the run ends.
     *
     * @param context a fresh context
     * @return a publisher of the report, as {@link #run()}
     * @throws IllegalStateException when no sink was set with {@link #to(Sink)}
     */
    public Mono<RunReport> run(RunContext context) {
        requireSink();
        Objects.requireNonNull(context, "context");
        return Mono.usingWhen(Mono.just(context), this::runWith, RunContext::close);
    }

    private void requireSink() {
        if (sink == null) {
            throw new IllegalStateException("run() needs a sink: call to(sink) first, or use items()");
        }
    }

    private Mono<RunReport> runWith(RunContext run) {
        long start = now();
        Flux<Item> all = shared(flow(run).map(this::screened));
        return Flux.merge(
                        write(sink, all.filter(item -> !item.isFailure()).doOnNext(item -> run.tally().output()), run),
                        deadLetters(run, all))
                .then(Mono.fromSupplier(() -> run.tally().report(now() - start)));
    }

    /** A good item the sink refuses ({@link Sink#refusal}) becomes a dead letter, stage and reason {@code sink}. */
    private Item screened(Item item) {
        if (item.isFailure()) {
            return item;
        }
        java.util.Optional<String> why = sink.refusal(item); // no capturing lambda: this runs for every item
        return why.isEmpty() ? item : item.fail("sink", Reason.SINK, why.get());
    }

    /** An item handed to the subscriber of {@link #items()} is as durable as it will get here. */
    private static void delivered(RunContext run, Item item) {
        run.tally().output();
        Tally.ended(run.ledger(), item);
    }

    /**
     * Shares one flow between the good-item consumer and the dead-letter sink. The flow starts only
     * once both have subscribed, so a sink that subscribes late (after opening a file, on another
     * thread) misses nothing; it stops when both have cancelled or completed.
     */
    private static Flux<Item> shared(Flux<Item> flow) {
        return flow.publish(PREFETCH).refCount(2);
    }

    private Flux<Item> flow(RunContext run) {
        run.readsSource();
        Flux<Item> flux = admitted(run);
        for (Stage stage : stages) {
            flux = flux.transform(stage);
        }
        return flux.takeUntilOther(run.aborted()).contextWrite(run::putInto);
    }

    /** The source's inputs the run admits, until it is stopped or has admitted its limit. */
    private Flux<Item> admitted(RunContext run) {
        Flux<Item> admitted = source.items().takeUntilOther(run.stopped()).filter(run.tally()::admit);
        return run.inputLimit() == Long.MAX_VALUE ? admitted : admitted.take(run.inputLimit());
    }

    private Mono<SinkReport> deadLetters(RunContext run, Flux<Item> all) {
        return write(deadLetter, all.filter(Item::isFailure)
                .doOnNext(item -> run.tally().deadLettered(item.failure().orElseThrow().reason())), run);
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }
}
