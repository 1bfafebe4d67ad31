package dev.sluice.source;

import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Source;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/** Emits {@code template} with {@code {n}} replaced by each number from {@code from} to {@code to}. */
final class RangeSource implements Source {

    static final String NAME = "range";
    static final String PLACEHOLDER = "{n}";

    private final String template;
    private final long from;
    private final long to;

    /** Expects arguments already validated by {@link Inputs#range}. */
    RangeSource(String template, long from, long to) {
        this.template = template;
        this.from = from;
        this.to = to;
    }

    @Override
    public Flux<Item> items() {
        return Flux.generate(() -> from, this::next);
    }

    private long next(long n, SynchronousSink<Item> sink) {
        sink.next(Item.ofText(template.replace(PLACEHOLDER, Long.toString(n)), Origin.of(NAME, n)));
        if (n == to) {
            sink.complete();
        }
        return n + 1;
    }

    @Override
    public long knownSize() {
        return to - from + 1;
    }

    @Override
    public String toString() {
        return "range(" + template + ", " + from + ".." + to + ")";
    }
}
