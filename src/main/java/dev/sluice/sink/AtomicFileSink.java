package dev.sluice.sink;

import dev.sluice.Item;
import dev.sluice.Sink;
import dev.sluice.SinkException;
import dev.sluice.SinkReport;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes through another file sink into a temporary file next to the target, and renames it onto the
 * target only when that sink completed: readers never see a partial file, and a failed or cancelled
 * run leaves the previous file (if any) untouched and no temporary file behind.
 */
final class AtomicFileSink implements Sink {

    private final Path target;
    private final Function<Path, Sink> sinkAt;

    /** The sink at the target itself, never written: it answers {@link #refusal} in the target's name. */
    private final Sink atTarget;

    AtomicFileSink(Path target, Function<Path, Sink> sinkAt) {
        this.target = target;
        this.sinkAt = sinkAt;
        this.atTarget = sinkAt.apply(target);
    }

    @Override
    public java.util.Optional<String> refusal(Item item) {
        return atTarget.refusal(item);
    }

    @Override
    public Mono<SinkReport> write(Flux<Item> items) {
        return Mono.defer(() -> {
            Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
            return sinkAt.apply(temp).write(items)
                    .flatMap(report -> blocking(() -> commit(temp)).thenReturn(report))
                    .onErrorResume(e -> blocking(() -> delete(temp)).then(Mono.error(e)))
                    .doOnCancel(() -> Schedulers.boundedElastic().schedule(() -> delete(temp)));
        });
    }

    /** Refuses: a resumed run cannot continue a file that is only renamed into place at the end. */
    @Override
    public Mono<SinkReport> write(Flux<Item> items, dev.sluice.Acknowledgements acks) {
        return Mono.error(new SinkException("cannot resume " + target + ": an atomic file (atomic: true) is "
                + "replaced as a whole at the end of a run and cannot be continued; drop atomic: true, or run "
                + "without --state", null));
    }

    private void commit(Path temp) {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            delete(temp);
            throw new SinkException("cannot rename " + temp + " to " + target + ": " + e.getMessage()
                    + "; check that the directory is writable", e);
        }
    }

    private static void delete(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Best effort: a leftover ".tmp-" file is named after its target.
        }
    }

    private static Mono<Void> blocking(Runnable run) {
        return Mono.<Void>fromRunnable(run).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public String toString() {
        return "AtomicFileSink[" + target + "]";
    }
}
