package dev.sluice.sink;

import dev.sluice.Sink;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Creates the built-in {@link Sink}s: NDJSON for good items and dead-letter files for failed ones.
 *
 * <p>Every sink writes one compact JSON value per line, UTF-8, each line ended by {@code '\n'} and
 * fully serialised before the next one starts. A sink subscribes to its items as soon as
 * {@link Sink#write} is subscribed (a multicasting pipeline drops items for late subscribers) and
 * opens its target when the first item arrives, or at the end when there is none, so an empty run
 * still leaves an empty file; nothing is opened before that. Opening, writing and closing block, so
 * they run on {@code Schedulers.boundedElastic()}: one {@code publishOn} hop with a prefetch of 256
 * items, which is also how far the sink reads ahead. The target is flushed and closed on completion,
 * on upstream error and on cancellation; the returned {@code Mono} emits the number of lines written
 * only once that is done.
 *
 * <p>A target that cannot be opened, written or flushed aborts the run: the {@code Mono} errors with
 * a {@link dev.sluice.SinkException} such as {@code "cannot write out/a.ndjson: Is a directory; check
 * that the directory exists and is writable"}. An upstream error is passed on unchanged, after the
 * lines received so far are flushed.
 */
public final class Outputs {

    private Outputs() {}

    /**
     * Writes each good item's value to a file, one per line. Failed items are skipped and not counted
     * (route them to {@link #deadLetters(Path)}).
     *
     * @param file the file; truncated when it exists, created with its parent directories otherwise
     * @return a new sink
     */
    public static Sink ndjson(Path file) {
        return new JsonLinesSink(new Destination.ToFile(Objects.requireNonNull(file, "file")), LineFormat.VALUES);
    }

    /**
     * Writes each good item's value to a stream the caller owns, one per line; the stream is flushed
     * at the end but never closed. Failed items are skipped and not counted.
     *
     * @param out the stream
     * @param name names the stream in error messages
     * @return a new sink
     */
    public static Sink ndjson(OutputStream out, String name) {
        Objects.requireNonNull(out, "out");
        return new JsonLinesSink(new Destination.ToStream(() -> out, Objects.requireNonNull(name, "name")),
                LineFormat.VALUES);
    }

    /**
     * Writes each good item's value to standard output, one per line, like {@link #ndjson(OutputStream,
     * String)}. {@code System.out} is looked up on subscription, flushed at the end and never closed.
     *
     * @return a new sink
     */
    public static Sink stdout() {
        return new JsonLinesSink(new Destination.ToStream(() -> System.out, "stdout"), LineFormat.VALUES);
    }

    /**
     * Writes each failed item's dead-letter record ({@link dev.sluice.Failure#toJson()}) to a file, one
     * per line. Good items are not expected here; they are skipped and not counted.
     *
     * @param file the file; truncated when it exists, created with its parent directories otherwise
     * @return a new sink
     */
    public static Sink deadLetters(Path file) {
        return new JsonLinesSink(new Destination.ToFile(Objects.requireNonNull(file, "file")), LineFormat.DEAD_LETTERS);
    }

    /**
     * Writes each failed item's dead-letter record to a stream the caller owns, one per line; the
     * stream is flushed at the end but never closed. Good items are skipped and not counted.
     *
     * @param out the stream
     * @param name names the stream in error messages
     * @return a new sink
     */
    public static Sink deadLetters(OutputStream out, String name) {
        Objects.requireNonNull(out, "out");
        return new JsonLinesSink(new Destination.ToStream(() -> out, Objects.requireNonNull(name, "name")),
                LineFormat.DEAD_LETTERS);
    }
}
