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
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Writes one JSON value per line to a destination and counts the lines. Every method blocks.
 *
 * <p>The destination is opened by the first {@link #write} or by {@link #close()} (so an empty run
 * still leaves an empty file), never by the constructor: the sink must subscribe to its items at once
 * (a multicasting pipeline drops items for late subscribers) and must not open files on the
 * subscribing thread. Methods are synchronized because a cancellation may close the writer from
 * another thread while a write is in progress; after {@link #close()} further writes are ignored.
 */
final class LineWriter {

    private static final int BUFFER_SIZE = 64 * 1024;

    /** Shared, thread-safe; flushes only when the writer closes, not after every value. */
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE).build();

    private final Destination destination;
    private final LineFormat format;
    private OutputStream out;
    private JsonGenerator generator;
    private long written;
    private boolean closed;

    LineWriter(Destination destination, LineFormat format) {
        this.destination = destination;
        this.format = format;
    }

    /** Writes the item as one whole line when the format accepts it; throws {@link SinkException}. */
    synchronized void write(Item item) {
        if (closed || !format.accepts(item)) {
            return;
        }
        try {
            JsonGenerator out = opened();
            MAPPER.writeTree(out, format.render(item));
            out.writeRaw('\n');
            written++;
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Returns the number of lines written so far. */
    synchronized long written() {
        return written;
    }

    /** Opens the destination if needed, then flushes and closes it, once; throws {@link SinkException}. */
    synchronized void close() {
        if (closed) {
            return;
        }
        try {
            JsonGenerator gen = opened();
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

    /**
     * Closes like {@link #close()} but ignores a failure: the run was cancelled, or already failed
     * with an error that says more.
     */
    void closeQuietly() {
        try {
            close();
        } catch (SinkException ignored) {
            // Nobody to tell, or a first error already on its way.
        }
    }

    private JsonGenerator opened() throws IOException {
        if (generator == null) {
            try {
                out = new BufferedOutputStream(destination.open(), BUFFER_SIZE);
                generator = MAPPER.createGenerator(out);
            } catch (IOException e) {
                closed = true;
                throw e;
            }
            // Values are separated by the '\n' written after each one, not by Jackson's default space.
            generator.setRootValueSeparator(null);
        }
        return generator;
    }

    private SinkException cannotWrite(IOException e) {
        return new SinkException("cannot write " + destination.name() + ": " + reason(e)
                + "; check that the directory exists and is writable", e);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException fae) {
            return "a file is in the way at " + fae.getFile();
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
