package dev.sluice.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.Item;
import dev.sluice.SinkException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one JSON value per line to a destination, or the elements of one JSON array, and counts them.
 * Every method blocks.
 *
 * <p>The destination is opened by the first {@link #write} or by {@link #close()} (so an empty run
 * still leaves an empty file, or {@code []}), never by the constructor: the sink must subscribe to its
 * items at once (a multicasting pipeline drops items for late subscribers) and must not open files on
 * the subscribing thread. Methods are synchronized because a cancellation may close the writer from
 * another thread while a write is in progress; after {@link #close()} further writes are ignored.
 */
final class LineWriter implements ItemWriter {

    /** How values are laid out in the file. */
    enum Framing {
        /** One value per line: NDJSON. */
        LINES,
        /** One JSON array, one element per line: {@code [}, elements separated by commas, {@code ]}. */
        ARRAY
    }

    private static final int BUFFER_SIZE = 64 * 1024;

    /** Shared, thread-safe; flushes only when the writer closes, not after every value. */
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE).build();

    private final Destination destination;
    private final LineFormat format;
    private final Framing framing;
    private OutputStream raw;
    private OutputStream out;
    private JsonGenerator generator;
    private long written;
    private boolean closed;

    LineWriter(Destination destination, LineFormat format, Framing framing) {
        this.destination = destination;
        this.format = format;
        this.framing = framing;
    }

    /** Writes the item as one whole line when the format accepts it; throws {@link SinkException}. */
    @Override
    public synchronized void write(Item item) {
        if (closed || !format.accepts(item)) {
            return;
        }
        try {
            JsonGenerator out = opened();
            if (framing == Framing.ARRAY) {
                out.writeRaw(written == 0 ? "\n" : ",\n");
            }
            MAPPER.writeTree(out, format.render(item));
            if (framing == Framing.LINES) {
                out.writeRaw('\n');
            }
            written++;
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Returns the number of values written so far. */
    @Override
    public synchronized long written() {
        return written;
    }

    @Override
    public synchronized void sync() {
        if (closed || generator == null) {
            return;
        }
        try {
            generator.flush();
            Destination.sync(raw);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /**
     * Opens the destination if needed, ends the array (so a cancelled run still leaves valid JSON),
     * then flushes and closes it, once; throws {@link SinkException}.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            JsonGenerator gen = opened();
            if (framing == Framing.ARRAY) {
                gen.writeRaw(written == 0 ? "]\n" : "\n]\n");
            }
            // The generator skips closing its target when its last flush fails: close it regardless.
            try (OutputStream target = out) {
                gen.close();
            }
        } catch (IOException e) {
            throw cannotWrite(e);
        } finally {
            closed = true;
        }
    }

    @Override
    public synchronized void abandon() {
        if (generator == null) {
            closed = true;
            return;
        }
        closeQuietly();
    }

    private JsonGenerator opened() throws IOException {
        if (generator == null) {
            try {
                raw = destination.open();
                out = new BufferedOutputStream(raw, BUFFER_SIZE);
                generator = MAPPER.createGenerator(out);
            } catch (IOException e) {
                closed = true;
                throw e;
            }
            // Values are separated by the '\n' written after each one, not by Jackson's default space.
            generator.setRootValueSeparator(null);
            if (framing == Framing.ARRAY) {
                generator.writeRaw('[');
            }
        }
        return generator;
    }

    private SinkException cannotWrite(IOException e) {
        return ItemWriter.cannotWrite(destination, e);
    }
}
