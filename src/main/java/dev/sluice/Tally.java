package dev.sluice;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Counts what one run does, from any thread, without locks. Stages record what the pipeline cannot
 * see from outside: items they drop ({@link #filtered(Item)}), extra items they create
 * ({@link #expanded(Item, long)}, {@link #expanding(Item, Flux)}), requests, retries and bytes.
 *
 * <p>The item-aware counters also tell the run's {@link Ledger} which input the items descend from,
 * so a resumable run knows when an input is finished.
 *
 * <p>Obtained from the run's {@link RunContext}; {@link #report(long)} takes a consistent-enough
 * snapshot for progress lines and the final {@link RunReport}.
 */
public final class Tally {

    private final LongAdder inputs = new LongAdder();
    private final LongAdder outputs = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder expanded = new LongAdder();
    private final Map<Reason, LongAdder> deadLettered = new EnumMap<>(Reason.class);
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder merged = new LongAdder();
    private final LongAdder cut = new LongAdder();
    private volatile Ledger ledger = Ledger.NONE;

    /** The Reactor context key of the signal that cuts streams short ({@link #cutStreams}). */
    private static final Object CUT = new Object();

    /** Creates a tally with every counter at zero. */
    public Tally() {
        for (Reason reason : Reason.values()) {
            deadLettered.put(reason, new LongAdder());
        }
    }

    /** Follows the run's inputs in {@code newLedger} from now on; set by {@link RunContext#follow}. */
    void follow(Ledger newLedger) {
        this.ledger = newLedger;
    }

    /** Counts one input read from the source; a resumable run uses {@link #admit(Item)} instead. */
    public void input() {
        inputs.increment();
    }

    /**
     * Takes one input read from the source: counts it as an input, or as skipped when an earlier run
     * finished it.
     *
     * @param item the input
     * @return true when the input goes on through the pipeline, false when it is skipped
     */
    public boolean admit(Item item) {
        if (!ledger.admit(item.origin())) {
            skipped.increment();
            return false;
        }
        inputs.increment();
        return true;
    }

    /** Counts one item delivered to the sink or to the subscriber of {@code items()}. */
    public void output() {
        outputs.increment();
    }

    /**
     * Counts one item dropped on purpose without saying which.
     *
     * @deprecated a resumable run cannot tell which input ended; use {@link #filtered(Item)}
     */
    @Deprecated
    public void filtered() {
        filtered.increment();
    }

    /**
     * Counts one item dropped on purpose (a filter said no, or an explode produced nothing).
     *
     * @param item the dropped item
     */
    public void filtered(Item item) {
        filtered.increment();
        ended(item);
    }

    /**
     * Counts one item dropped because a limit was reached: it counts as filtered, and as {@code cut} in
     * the report, but its input is not finished: a resumed run ({@code --state}) does it again.
     *
     * @param item the dropped item
     */
    public void cut(Item item) {
        filtered.increment();
        cut.increment();
    }

    /**
     * Counts items merged into others: a {@code batch} of {@code n} items adds {@code n - 1}, since
     * {@code n} items leave as one. The batch carries its members' inputs in its
     * {@link Metadata#members()}, so the run's {@link Ledger} ends each of them when the batch ends.
     *
     * @param items how many fewer items leave than entered; must be &gt;= 0
     */
    public void merged(long items) {
        checkExtra(items);
        merged.add(items);
    }

    /** Ends, in the ledger, every input the item stands for (each member of a batch). */
    private void ended(Item item) {
        ended(ledger, item);
    }

    /**
     * Ends, in {@code ledger}, every input {@code item} stands for: its origin, or each member's input
     * when it is a batch.
     */
    static void ended(Ledger ledger, Item item) {
        for (Origin origin : item.metadata().origins()) {
            ledger.ended(origin, 1);
        }
    }

    private void opened(Item item, long extra) {
        for (Origin origin : item.metadata().origins()) {
            ledger.opened(origin, extra);
        }
    }

    /**
     * Counts items created beyond the one that came in, without saying from which.
     *
     * @param extra how many more items leave than entered; must be &gt;= 0
     * @deprecated a resumable run cannot tell which input grew; use {@link #expanded(Item, long)}
     */
    @Deprecated
    public void expanded(long extra) {
        checkExtra(extra);
        expanded.add(extra);
    }

    /**
     * Counts items created beyond the one that came in (an explode of one item into five adds four).
     * Call it before the extra items are emitted.
     *
     * @param item the item that came in, or any item descended from the same input
     * @param extra how many more items leave than entered; must be &gt;= 0
     */
    public void expanded(Item item, long extra) {
        checkExtra(extra);
        expanded.add(extra);
        opened(item, extra);
    }

    /**
     * Accounts for one input that streams out as any number of items, while they stream: every item
     * after the first adds one to {@code expanded}, and an input that ends (or is cancelled) without
     * any counts as filtered. The input is held open in the run's {@link Ledger} until the stream
     * completes, so it is not taken as finished between two of its items, nor when it is cancelled.
     *
     * <p>A stream downstream of {@link #cutStreams} ends early when that signal comes: it completes
     * as if it had no more items, the input counts as {@code cut} when it emitted none, and the input
     * stays open in the ledger, so a resumed run does it again.
     *
     * @param input the item the outputs come from
     * @param outputs its outputs; subscribed once per subscription of the result
     * @return the outputs, counted
     */
    public Flux<Item> expanding(Item input, Flux<Item> outputs) {
        return Flux.deferContextual(ctx -> {
            Streaming streaming = new Streaming(input);
            Flux<Item> cuttable = ctx.<Mono<Void>>getOrEmpty(CUT)
                    .map(signal -> outputs.takeUntilOther(signal.doOnSuccess(none -> streaming.cut = true)))
                    .orElse(outputs);
            // Counted before the end is passed on, so a run that ends with this stream counts it.
            return cuttable.doOnNext(streaming::emitted)
                    .doOnComplete(() -> streaming.ended(SignalType.ON_COMPLETE))
                    .doOnError(e -> streaming.ended(SignalType.ON_ERROR))
                    .doOnCancel(() -> streaming.ended(SignalType.CANCEL));
        });
    }

    /**
     * Cuts short, once {@code signal} completes, every stream that {@link #expanding} counts upstream
     * of the returned flux (a body being split, a pagination): each completes at once, without its
     * remaining items, and is counted as cut. Streams downstream are not affected. A {@code limit}
     * step uses it so that, once it has let its items through, the streams that only feed it dropped
     * items stop instead of running to their end.
     *
     * @param upstream the flux whose streams may be cut
     * @param signal completes when they should end
     * @param <T> the element type
     * @return {@code upstream}, with the signal in its context
     */
    public static <T> Flux<T> cutStreams(Flux<T> upstream, Mono<Void> signal) {
        return upstream.contextWrite(ctx -> ctx.put(CUT, ctx.<Mono<Void>>getOrEmpty(CUT)
                .map(earlier -> Mono.firstWithSignal(earlier, signal))
                .orElse(signal)));
    }

    private static void checkExtra(long extra) {
        if (extra < 0) {
            throw new IllegalArgumentException("extra must be >= 0, was " + extra);
        }
    }

    /** One input streaming out through {@link #expanding}; signals arrive serially. */
    private final class Streaming {
        private final Item input;
        private long emitted;
        /** Set when a {@link #cutStreams} signal ended the stream; its completion is then a cut. */
        private volatile boolean cut;

        Streaming(Item input) {
            this.input = input;
            opened(input, 1);
        }

        void emitted(Item item) {
            if (emitted++ > 0) {
                expanded(item, 1);
            }
        }

        /**
         * A cancelled or cut stream counts as filtered when it emitted nothing (the run still
         * balances), but the ledger keeps the input open: it was cut, not finished, and a resumed run
         * does it again.
         */
        void ended(SignalType signal) {
            if (signal == SignalType.CANCEL || cut) {
                if (emitted == 0) {
                    filtered.increment();
                    if (cut) {
                        Tally.this.cut.increment();
                    }
                }
                return;
            }
            if (emitted == 0) {
                filtered(input);
            }
            Tally.this.ended(input);
        }
    }

    /**
     * Counts one dead-lettered item.
     *
     * @param reason why it failed
     */
    public void deadLettered(Reason reason) {
        deadLettered.get(reason).increment();
    }

    /** Counts one HTTP request sent (each attempt counts). */
    public void request() {
        requests.increment();
    }

    /** Counts one retry of an HTTP request. */
    public void retry() {
        retries.increment();
    }

    /**
     * Counts received body bytes.
     *
     * @param count bytes received
     */
    public void bytesIn(long count) {
        bytesIn.add(count);
    }

    /**
     * Takes a snapshot of the counters.
     *
     * @param elapsedMillis time since the run started
     * @return a new {@code RunReport}
     */
    public RunReport report(long elapsedMillis) {
        Map<String, Long> reasons = new java.util.TreeMap<>();
        long dead = 0;
        for (Map.Entry<Reason, LongAdder> e : deadLettered.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                reasons.put(e.getKey().code(), n);
                dead += n;
            }
        }
        return new RunReport(
                inputs.sum(),
                outputs.sum(),
                filtered.sum(),
                expanded.sum(),
                dead,
                reasons,
                requests.sum(),
                retries.sum(),
                bytesIn.sum(),
                elapsedMillis,
                skipped.sum(),
                merged.sum(),
                cut.sum());
    }
}
