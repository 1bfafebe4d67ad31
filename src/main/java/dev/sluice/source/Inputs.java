package dev.sluice.source;

import dev.sluice.Source;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Creates the built-in {@link Source}s: inline URLs, URL files, NDJSON files, numbered ranges and
 * standard input.
 *
 * <p>Every source is cold: nothing is opened or read before subscription, and each subscription reads
 * afresh. Text inputs are decoded as UTF-8 (a leading byte-order mark is dropped, malformed bytes
 * become U+FFFD) and read one line per request on {@code Schedulers.boundedElastic()}, so a
 * 10-million-line file is never held in memory and blocking reads never run on a Netty or parallel
 * thread; the input is closed on completion, error and cancellation.
 *
 * <p>An input that cannot be opened or read is fatal: the flux errors with an
 * {@link java.io.UncheckedIOException} whose message names the input and the reason, e.g.
 * {@code "cannot read urls file urls.txt: no such file or directory"}. A malformed NDJSON line, on the other
 * hand, is per-item: it becomes a failed item and reading goes on.
 */
public final class Inputs {

    private Inputs() {}

    /**
     * Reads one URL given inline.
     *
     * @param url the URL, used as given
     * @return a source of one item with origin {@code ("inline", 1)}
     */
    public static Source url(String url) {
        return new InlineSource(List.of(Objects.requireNonNull(url, "url")));
    }

    /**
     * Reads URLs given inline, in order.
     *
     * @param urls the URLs, used as given; copied
     * @return a source whose i-th item (from 0) has origin {@code ("inline", i + 1)}
     * @throws NullPointerException when the list or one of its URLs is null
     */
    public static Source urls(List<String> urls) {
        return new InlineSource(urls);
    }

    /**
     * Reads a URL file: one URL per line, trimmed; blank lines and lines starting with {@code #}
     * (after trimming) are skipped. Lines may end with LF, CRLF or CR.
     *
     * @param file the file; opened only on subscription
     * @return a source whose items have origin {@code (file as given, real 1-based line number)}; it
     *     errors with {@code UncheckedIOException("cannot read urls file <file>: <reason>")} when the
     *     file cannot be read
     */
    public static Source lines(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        return new UrlLinesSource(name, new LineReader(() -> Files.newInputStream(file), "urls file " + name), file);
    }

    /**
     * Reads URLs from any stream with the rules of {@link #lines(Path)}.
     *
     * @param in opens a fresh stream for each subscription; the stream is closed when reading ends
     * @param name names the input in origins and error messages, e.g. {@code "stdin"}
     * @return a source whose items have origin {@code (name, 1-based line number)}
     */
    public static Source lines(Supplier<InputStream> in, String name) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        return new UrlLinesSource(name, new LineReader(in::get, name), null);
    }

    /**
     * Reads URLs from standard input with the rules of {@link #lines(Path)}. {@code System.in} is
     * looked up on subscription and never closed.
     *
     * @return a source whose items have origin {@code ("stdin", 1-based line number)}
     */
    public static Source stdin() {
        return lines(() -> new UnclosedInputStream(System.in), "stdin");
    }

    /**
     * Reads an NDJSON file: one JSON value per non-blank line.
     *
     * <p>A line that is not exactly one JSON value becomes a failed item (stage {@code "source"},
     * {@link dev.sluice.Reason#PARSE}, message {@code "invalid JSON in <file> at line L, column C:
     * <parser message>"}, value the raw line as a text) and reading goes on.
     *
     * @param file the file; opened only on subscription
     * @return a source whose items have origin {@code (file as given, real 1-based line number)}; it
     *     errors with {@code UncheckedIOException("cannot read ndjson file <file>: <reason>")} when the
     *     file cannot be read
     */
    public static Source ndjson(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        return new NdjsonSource(name, new LineReader(() -> Files.newInputStream(file), "ndjson file " + name), file);
    }

    /**
     * Generates one URL per number from {@code from} to {@code to}, both inclusive, by replacing every
     * {@code {n}} in the template, e.g. {@code range("http://h/items/{n}.json", 1, 3)}.
     *
     * @param template a URL template containing {@code {n}}
     * @param from the first number, at least 0
     * @param to the last number, at least {@code from}
     * @return a source whose items have origin {@code ("range", n)}
     * @throws IllegalArgumentException when the template lacks {@code {n}}, {@code from} is negative
     *     or {@code from > to}
     */
    public static Source range(String template, long from, long to) {
        Objects.requireNonNull(template, "template");
        if (!template.contains(RangeSource.PLACEHOLDER)) {
            throw new IllegalArgumentException(
                    "template must contain {n}, was '" + template + "'; e.g. http://host/items/{n}.json");
        }
        if (from < 0) {
            throw new IllegalArgumentException("from must be >= 0, was " + from);
        }
        if (from > to) {
            throw new IllegalArgumentException("from must be <= to, was from " + from + " and to " + to);
        }
        return new RangeSource(template, from, to);
    }

    /** Lets a source read {@code System.in} without closing it for the rest of the process. */
    private static final class UnclosedInputStream extends FilterInputStream {
        UnclosedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // System.in belongs to the process, not to one subscription.
        }
    }
}
