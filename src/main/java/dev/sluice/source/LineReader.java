package dev.sluice.source;

import dev.sluice.IoReason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

/**
 * Reads a UTF-8 text input lazily, one line per request, on {@code boundedElastic}. The stream is
 * opened on subscription and closed on completion, error and cancellation; each subscription reads
 * afresh. Lines end at {@code \n}, {@code \r\n} or {@code \r}; malformed UTF-8 becomes U+FFFD.
 */
final class LineReader {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /** Opens a fresh stream for one subscription. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener open;
    private final String description;

    /**
     * @param open opens a fresh stream; called once per subscription, on boundedElastic
     * @param description names the input in error messages, e.g. {@code "urls file urls.txt"}
     */
    LineReader(Opener open, String description) {
        this.open = open;
        this.description = description;
    }

    /** Emits every line with its number, in order, as demand arrives. */
    Flux<NumberedLine> lines() {
        // Reads block: keep the open, every read and the close on boundedElastic, whoever subscribes.
        return Flux.<NumberedLine, Cursor>generate(this::openCursor, this::next, Cursor::close)
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Cursor openCursor() {
        try {
            InputStream in = open.open();
            return new Cursor(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw unreadable(e);
        } catch (UncheckedIOException e) {
            throw unreadable(e.getCause());
        }
    }

    private Cursor next(Cursor cursor, SynchronousSink<NumberedLine> sink) {
        try {
            String text = cursor.reader.readLine();
            if (text == null) {
                sink.complete();
                return cursor;
            }
            cursor.number++;
            if (cursor.number == 1 && !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
                text = text.substring(1);
            }
            sink.next(new NumberedLine(cursor.number, text));
        } catch (IOException e) {
            sink.error(unreadable(e));
        }
        return cursor;
    }

    private UncheckedIOException unreadable(IOException e) {
        return new UncheckedIOException("cannot read " + description + ": " + IoReason.of(e), e);
    }

    /** The open reader and the number of the last line read; confined to the generating thread. */
    private static final class Cursor {
        private final BufferedReader reader;
        private long number;

        Cursor(BufferedReader reader) {
            this.reader = reader;
        }

        void close() {
            try {
                reader.close();
            } catch (IOException ignored) {
                // Everything wanted was read; a failing close of an input loses nothing.
            }
        }
    }
}
