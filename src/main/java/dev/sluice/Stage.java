package dev.sluice;

import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * One step between source and sinks: fetch, parse, map, filter, explode, ...
 *
 * <p>A stage receives every item, good or failed. It must pass failed items through untouched,
 * turn per-item problems into failed items ({@link Item#fail}) instead of stream errors, and keep
 * backpressure (bounded concurrency, no unbounded buffers). The Reactor error channel is for fatal
 * problems only. Stages that drop or multiply items record it in the run's {@link Tally} so the
 * {@link RunReport} reconciles.
 */
@FunctionalInterface
public interface Stage extends Function<Flux<Item>, Flux<Item>> {}
