package dev.sluice;

import reactor.core.publisher.Flux;

/**
 * Where inputs come from. Each emitted item is one input and is counted once in the
 * {@link RunReport}.
 *
 * <p>Implementations are lazy and demand-driven: nothing is read before subscription, and no more
 * is read than downstream requested (a 10-million-line file is never held in memory). Factories
 * live in {@code dev.sluice.source.Inputs}.
 */
@FunctionalInterface
public interface Source {

    /**
     * Returns the inputs, one item each, read as demand arrives.
     *
     * @return a cold publisher; each subscription reads the source afresh
     */
    Flux<Item> items();

    /**
     * Tells how many inputs the source will emit, when it knows without reading (a range, an inline
     * list); progress uses it for an ETA.
     *
     * @return the number of inputs, or -1 when unknown
     */
    default long knownSize() {
        return -1;
    }
}
