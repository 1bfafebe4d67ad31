package dev.sluice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.ContextView;

/**
 * The state of one run of a pipeline: its {@link Tally} and the heavy resources its stages share
 * (one HTTP connection pool per run, for instance), disposed when the run ends.
 *
 * <p>A {@link Pipeline} creates one per subscription and puts it in the Reactor {@code Context};
 * stages reach it with {@link #use(Function)}. A stage used on its own, outside a pipeline, gets a
 * private context that lives as long as its subscription.
 */
public final class RunContext {

    private static final Object KEY = RunContext.class;

    private final Tally tally = new Tally();
    private final Sinks.Empty<Void> stop = Sinks.empty();
    private final Sinks.Empty<Void> abort = Sinks.empty();
    private volatile java.util.function.UnaryOperator<java.net.URI> urlRewrite = java.util.function.UnaryOperator.identity();
    private volatile Ledger ledger = Ledger.NONE;
    private volatile boolean readsSource;
    private volatile long inputLimit = Long.MAX_VALUE;
    private final Map<String, Object> shared = new ConcurrentHashMap<>();
    private final List<Supplier<Mono<Void>>> disposers = new ArrayList<>();

    /** Creates an empty context; pipelines do this once per subscription. */
    public RunContext() {}

    /**
     * Stops taking inputs: the source is cancelled, items already read finish their way through the
     * stages and sinks, and the run completes normally. Safe to call from any thread, more than once.
     */
    public void stop() {
        stop.tryEmitEmpty();
    }

    /**
     * Stops taking inputs and cuts the items still in the stages (their requests are cancelled); the
     * sinks still complete normally, so files are flushed and closed with whole lines only. Items cut
     * this way are neither output nor dead-lettered: the report shows them as the gap between
     * {@code inputs + expanded} and {@code outputs + filtered + dead_lettered}.
     */
    public void abort() {
        stop.tryEmitEmpty();
        abort.tryEmitEmpty();
    }

    /**
     * Makes the run resumable: every input is admitted through {@code newLedger} (inputs an earlier run
     * finished are skipped), its items are followed until they end, and sinks acknowledge the items
     * they made durable. Call it before the run starts.
     *
     * @param newLedger the ledger of the run's state
     * @return this context
     */
    public RunContext follow(Ledger newLedger) {
        this.ledger = java.util.Objects.requireNonNull(newLedger, "ledger");
        tally.follow(newLedger);
        return this;
    }

    /**
     * Returns the ledger that follows the run's inputs.
     *
     * @return the ledger, {@link Ledger#NONE} unless {@link #follow} set one
     */
    public Ledger ledger() {
        return ledger;
    }

    /**
     * Sends the run's requests somewhere else: fetch stages pass every URL through {@code rewrite}
     * before connecting, and keep the original host in the {@code Host} header. Tests and replay use it
     * to point a pipeline at a loopback server without changing the pipeline.
     *
     * @param rewrite maps an original URL to the one to connect to
     * @return this context
     */
    public RunContext rewriteUrls(java.util.function.UnaryOperator<java.net.URI> rewrite) {
        this.urlRewrite = java.util.Objects.requireNonNull(rewrite, "rewrite");
        return this;
    }

    /**
     * Returns where a request for {@code url} should connect.
     *
     * @param url the URL a stage wants to fetch
     * @return the URL to connect to (the same one unless {@link #rewriteUrls} was set)
     */
    public java.net.URI rewrite(java.net.URI url) {
        return urlRewrite.apply(url);
    }

    /**
     * Makes the run read at most {@code n} inputs that it admits: in a resumable run, inputs an earlier
     * run finished are skipped and not counted, so each resumed run takes the next {@code n}
     * ({@code sluice run --limit N --state DIR}). Call it before the run starts.
     *
     * @param n the most inputs to run, at least 1
     * @return this context
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public RunContext limitInputs(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        this.inputLimit = n;
        return this;
    }

    /**
     * Returns the most inputs the run admits.
     *
     * @return the limit set by {@link #limitInputs}, or {@link Long#MAX_VALUE}
     */
    public long inputLimit() {
        return inputLimit;
    }

    /**
     * Tells whether {@link #stop()} stops a source: true in a {@link Pipeline}'s run, false in the
     * private context of a stage used on its own, where the stage must cancel its upstream instead.
     *
     * @return true once a pipeline reads its source in this context
     */
    public boolean stopsSource() {
        return readsSource;
    }

    /** Notes that a pipeline reads its source until {@link #stopped()}; called by {@link Pipeline}. */
    void readsSource() {
        readsSource = true;
    }

    /**
     * Completes when {@link #stop()} (or {@link #abort()}) is called.
     *
     * @return a signal for {@code takeUntilOther}
     */
    public Mono<Void> stopped() {
        return stop.asMono();
    }

    /**
     * Completes when {@link #abort()} is called.
     *
     * @return a signal for {@code takeUntilOther}
     */
    public Mono<Void> aborted() {
        return abort.asMono();
    }

    /**
     * Returns the run's counters.
     *
     * @return the tally
     */
    public Tally tally() {
        return tally;
    }

    /**
     * Returns the resource registered under {@code key}, creating it on first use. Resources created
     * here are disposed, in reverse order of creation, when the run ends.
     *
     * @param key a name unique within the run, e.g. {@code "fetch.connection-provider"}
     * @param create creates the resource
     * @param dispose releases it; runs when the run completes, errors or is cancelled
     * @param <T> the resource type
     * @return the shared resource
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Supplier<T> create, Function<T, Mono<Void>> dispose) {
        return (T) shared.computeIfAbsent(key, k -> {
            T resource = create.get();
            synchronized (disposers) {
                disposers.add(() -> dispose.apply(resource));
            }
            return resource;
        });
    }

    /**
     * Returns the resource registered under {@code key} with {@link #shared}, without creating one.
     *
     * @param key the resource's name
     * @param <T> the resource type
     * @return the resource, or empty when none was registered
     */
    @SuppressWarnings("unchecked")
    public <T> java.util.Optional<T> sharedIfPresent(String key) {
        return java.util.Optional.ofNullable((T) shared.get(key));
    }

    /**
     * Disposes every shared resource, newest first. Errors of one disposal do not stop the others.
     *
     * @return a publisher that completes when all are disposed
     */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            List<Supplier<Mono<Void>>> toDispose;
            synchronized (disposers) {
                toDispose = new ArrayList<>(disposers);
                disposers.clear();
            }
            java.util.Collections.reverse(toDispose);
            return Flux.fromIterable(toDispose)
                    .concatMap(d -> d.get().onErrorResume(e -> Mono.empty()))
                    .then();
        });
    }

    /**
     * Puts this context into a Reactor context.
     *
     * @param context the context to extend
     * @return a new Reactor context holding this run
     */
    public reactor.util.context.Context putInto(reactor.util.context.Context context) {
        return context.put(KEY, this);
    }

    /**
     * Runs {@code body} with the current run's context: the pipeline's when there is one, otherwise a
     * private one that is closed when the returned flux terminates or is cancelled.
     *
     * @param body builds the flux from the run context
     * @param <T> the element type
     * @return a flux that defers to {@code body} on subscription
     */
    public static <T> Flux<T> use(Function<RunContext, Flux<T>> body) {
        return Flux.deferContextual(ctx -> find(ctx)
                .map(body)
                .orElseGet(() -> Flux.usingWhen(Mono.fromSupplier(RunContext::new), body, RunContext::close)));
    }

    private static java.util.Optional<RunContext> find(ContextView ctx) {
        return ctx.getOrEmpty(KEY);
    }
}
