package dev.sluice.sink;

import dev.sluice.Sink;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Creates the built-in {@link Sink}s: NDJSON, JSON array and CSV files, one file per item in a
 * directory, and dead-letter files for failed ones.
 *
 * <p>The NDJSON sinks write one compact JSON value per line, UTF-8, each line ended by {@code '\n'}
 * and fully serialised before the next one starts; the others are described on their factories.
 * A sink subscribes to its items as soon as
 * {@link Sink#write} is subscribed (a multicasting pipeline drops items for late subscribers) and
 * opens its target when the first item arrives, or at the end when there is none, so an empty run
 * still leaves an empty file; nothing is opened before that. Opening, writing and closing block, so
 * they run on {@code Schedulers.boundedElastic()}: items go over in batches of up to 256, or of
 * what came within 10 ms, so the writing thread wakes once per batch instead of once per item;
 * the sink reads ahead at most three batches. The target is flushed and closed on completion,
 * on upstream error and on cancellation; the returned {@code Mono} emits the number of items written
 * only once that is done.
 *
 * <p>A target that cannot be opened, written or flushed aborts the run: the {@code Mono} errors with
 * a {@link dev.sluice.SinkException} such as {@code "cannot write out/a.ndjson: Is a directory; check
 * that the directory exists and is writable"}. An upstream error is passed on unchanged, after the
 * items received so far are flushed.
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
        return WriterSink.lines(
                new Destination.ToFile(Objects.requireNonNull(file, "file")),
                LineFormat.VALUES,
                LineWriter.Framing.LINES);
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
        return WriterSink.lines(
                new Destination.ToStream(() -> out, Objects.requireNonNull(name, "name")),
                LineFormat.VALUES,
                LineWriter.Framing.LINES);
    }

    /**
     * Writes each good item's value to standard output, one per line, like {@link #ndjson(OutputStream,
     * String)}. {@code System.out} is looked up on subscription, flushed at the end and never closed.
     *
     * @return a new sink
     */
    public static Sink stdout() {
        return WriterSink.lines(
                new Destination.ToStream(() -> System.out, "stdout"), LineFormat.VALUES, LineWriter.Framing.LINES);
    }

    /**
     * Writes each failed item's dead-letter record ({@link dev.sluice.Failure#toJson()}) to a file, one
     * per line. Good items are not expected here; they are skipped and not counted.
     *
     * @param file the file; truncated when it exists, created with its parent directories otherwise
     * @return a new sink
     */
    public static Sink deadLetters(Path file) {
        return WriterSink.lines(
                new Destination.ToFile(Objects.requireNonNull(file, "file")),
                LineFormat.DEAD_LETTERS,
                LineWriter.Framing.LINES);
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
        return WriterSink.lines(
                new Destination.ToStream(() -> out, Objects.requireNonNull(name, "name")),
                LineFormat.DEAD_LETTERS,
                LineWriter.Framing.LINES);
    }

    /**
     * Writes each good item's value as an element of one JSON array in a file: {@code [}, one compact
     * element per line separated by commas, {@code ]}. The closing bracket is written on completion,
     * on upstream error and on cancellation too, so the file is valid JSON whenever the run ends
     * (unless writing itself failed); an empty run leaves {@code []}. Failed items are skipped and not
     * counted.
     *
     * @param file the file; truncated when it exists, created with its parent directories otherwise
     * @return a new sink
     */
    public static Sink jsonArray(Path file) {
        return WriterSink.lines(new Destination.ToFile(Objects.requireNonNull(file, "file")), LineFormat.VALUES,
                LineWriter.Framing.ARRAY);
    }

    /**
     * Writes each good item as a CSV row, with the first item's field names (in their order) as the
     * columns; see {@link #csv(Path, List)}. An empty run leaves an empty file.
     *
     * @param file the file; truncated when it exists, created with its parent directories otherwise
     * @return a new sink
     */
    public static Sink csv(Path file) {
        return csv(file, List.of());
    }

    /**
     * Writes each good item as a CSV row (RFC 4180: fields quoted when they hold the delimiter, a quote
     * or a line break; rows end with {@code \n}) under a header row naming {@code columns}. A cell is
     * the item's field of that column's name: a string as is, a number or boolean as its JSON text, an
     * object or array as compact JSON, an absent field or {@code null} as an empty cell. Fields not
     * among the columns are not written. An empty run leaves the header alone.
     *
     * <p>An item that is not a JSON object cannot be a row: the sink refuses it ({@link
     * Sink#refusal}), so a {@link dev.sluice.Pipeline} dead-letters it with reason {@code sink}
     * ({@code "cannot write out.csv: item urls.txt:3 is a string, not an object; a CSV row needs an
     * object (map it first)"}) and goes on; handed to the sink directly, it aborts the write with a
     * {@link dev.sluice.SinkException} of that text. Failed items are skipped and not counted.
     *
     * @param file the file; truncated when it exists, created with its parent directories otherwise
     * @param columns the column names, in order; empty to take the first item's field names
     * @return a new sink
     */
    public static Sink csv(Path file, List<String> columns) {
        Destination destination = new Destination.ToFile(Objects.requireNonNull(file, "file"));
        List<String> names = List.copyOf(columns);
        return new WriterSink(mode -> new CsvWriter(destination.in(mode), names), "csv -> " + file, null,
                item -> CsvWriter.refusal(destination.name(), item));
    }

    /**
     * Writes each good item's value to its own file in {@code dir}, as compact JSON and a
     * {@code '\n'}, named by {@code nameTemplate}: {@code {id}} is replaced by the value's {@code id}
     * field, {@code {user.name}} by a nested field, {@code {#}} by the 1-based number of the item
     * among those written, e.g. {@code "{id}.json"} or {@code "{kind}/{id}.json"}. A placeholder must
     * be a string, number or boolean. Files are truncated when they exist (two items with the same
     * name leave the last one's), created with missing directories inside {@code dir}, and each is
     * closed before the next item is written; an empty run still creates {@code dir}.
     *
     * <p>An item whose name resolves outside {@code dir} (path traversal such as {@code ../x.json}, or
     * an absolute path) or whose placeholder has no usable value is refused ({@link Sink#refusal}): a
     * {@link dev.sluice.Pipeline} dead-letters it with reason {@code sink} and goes on; handed to the
     * sink directly, it aborts the write with a {@link dev.sluice.SinkException} naming the item's
     * origin. A file that cannot be written aborts the run. Symbolic links inside {@code dir} are
     * followed as they are. Failed items are skipped and not counted.
     *
     * @param dir the directory
     * @param nameTemplate the file name template, relative to {@code dir}
     * @return a new sink
     * @throws IllegalArgumentException when the template is blank or has an unclosed or empty brace
     */
    public static Sink directory(Path dir, String nameTemplate) {
        Objects.requireNonNull(dir, "dir");
        NameTemplate names = NameTemplate.compile(Objects.requireNonNull(nameTemplate, "nameTemplate"));
        return new WriterSink(mode -> new DirectoryWriter(dir, names, mode.synced()), "directory -> " + dir, null,
                item -> DirectoryWriter.refusal(dir, names, item));
    }

    /**
     * Makes a file sink atomic: it writes to a temporary file next to {@code file} and renames it onto
     * {@code file} only when the run completed, so readers never see a partial file and a failed or
     * cancelled run leaves the previous file untouched.
     *
     * @param file the target file
     * @param sinkAt builds the underlying sink for a given path, e.g. {@code Outputs::ndjson}
     * @return a new atomic sink
     */
    public static Sink atomic(Path file, java.util.function.Function<Path, Sink> sinkAt) {
        return new AtomicFileSink(Objects.requireNonNull(file, "file"), Objects.requireNonNull(sinkAt, "sinkAt"));
    }
}
