package dev.sluice.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Item;
import dev.sluice.SinkException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes each good item's value to its own file in a directory, named by a {@link NameTemplate}. A
 * name that would leave the directory ({@code ../x}, an absolute path) or lacks a placeholder's value
 * is refused ({@link #refusal}) so that a pipeline dead-letters the item; handed one anyway the
 * writer throws. Files are
 * created with their parent directories inside the directory, truncated when they exist, and closed
 * before the next item is written, so a cancellation leaves only whole files. Methods block and are
 * synchronized, like {@link LineWriter}.
 */
final class DirectoryWriter implements ItemWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final Path root;
    private final NameTemplate names;
    private final boolean synced;
    private long written;
    private boolean closed;

    DirectoryWriter(Path dir, NameTemplate names) {
        this(dir, names, false);
    }

    /** When {@code synced}, each file is forced to the storage device before it is closed. */
    DirectoryWriter(Path dir, NameTemplate names, boolean synced) {
        this.dir = dir;
        this.root = dir.toAbsolutePath().normalize();
        this.names = names;
        this.synced = synced;
    }

    @Override
    public synchronized void write(Item item) {
        if (closed || item.isFailure()) {
            return;
        }
        Path file = file(item);
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream raw = FileStream.replacing(file);
                    OutputStream out = new BufferedOutputStream(raw);
                    JsonGenerator json = MAPPER.createGenerator(out)) {
                MAPPER.writeTree(json, item.value());
                json.writeRaw('\n');
                if (synced) {
                    json.flush();
                    Destination.sync(raw);
                }
            }
            written++;
        } catch (IOException e) {
            throw ItemWriter.cannotWrite(file.toString(), e);
        }
    }

    @Override
    public synchronized long written() {
        return written;
    }

    /** Does nothing: each file is closed, and synced when asked, before the next item. */
    @Override
    public void sync() {
        // Files are complete (and synced) as each item is written.
    }

    /** Creates the directory when no item did, so an empty run still leaves it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw ItemWriter.cannotWrite(dir.toString(), e);
        }
    }

    /**
     * Why {@code item} cannot have a file in {@code dir}: a placeholder without a usable value, or a
     * name outside the directory. Computes the name as the first item's, writing nothing.
     */
    static Optional<String> refusal(Path dir, NameTemplate names, Item item) {
        try {
            new DirectoryWriter(dir, names).file(item);
            return Optional.empty();
        } catch (SinkException e) {
            return Optional.of(e.getMessage());
        }
    }

    private Path file(Item item) {
        String name = names.render(item, written + 1, dir.toString());
        Path file;
        try {
            file = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw outside(item, name, "is not a valid file name");
        }
        if (!file.startsWith(root) || file.equals(root)) {
            throw outside(item, name, "is outside the directory");
        }
        return file;
    }

    private SinkException outside(Item item, String name, String why) {
        return new SinkException("cannot write " + dir + ": the name '" + name + "' of item " + item.origin()
                + " " + why + "; check the template '" + names + "'", null);
    }
}
