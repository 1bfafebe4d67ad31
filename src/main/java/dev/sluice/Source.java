package dev.sluice;

import java.nio.file.Path;
import java.util.List;
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

    /**
     * Returns the files the inputs are read from. A resumable run ({@code --state}) fingerprints them,
     * since its journal names inputs by their line: a file whose earlier lines changed between two
     * runs would make it skip the wrong inputs.
     *
     * @return the files, as given; empty when the source reads none (a list, a range, stdin)
     */
    default List<Path> files() {
        return List.of();
    }
}
