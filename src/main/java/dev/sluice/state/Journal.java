package dev.sluice.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The journal file of a state directory: append-only text lines, synced at most every
 * {@link #FORCE_EVERY_NANOS}, and rewritten as a snapshot (temporary file, sync, atomic rename) every
 * {@code compactEvery} appended lines and on close, so it stays small however many inputs a run has.
 *
 * <pre>
 * sluice-journal 1
 * s 0 "urls.txt"             source 0 is named urls.txt
 * m 0 5000 4990 4711 4712    snapshot: inputs of source 0 up to 5000 are finished (4990 in all) but 4711 and 4712
 * d 0 5003                   input 5003 of source 0 is finished
 * </pre>
 *
 * <p>A torn last line (a process killed while appending it) is dropped when the journal is opened;
 * any other malformed line is an error. Every method blocks; the owner serializes calls.
 */
final class Journal implements AutoCloseable {

    static final String HEADER = "sluice-journal 1";
    private static final long FORCE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long compactEvery;
    private FileChannel channel;
    private long appended;
    private long lastForce = System.nanoTime();
    private boolean unforced;

    private Journal(Path file, long compactEvery) {
        this.file = file;
        this.compactEvery = compactEvery;
    }

    /**
     * Reads the journal at {@code file} (none yet is an empty journal) into {@code sources}, keyed by
     * id, and opens it for appending.
     *
     * @throws IOException when it cannot be read or written, or is damaged
     */
    static Journal open(Path file, Map<Integer, SourceProgress> sources, long compactEvery) throws IOException {
        Journal journal = new Journal(file, compactEvery);
        Files.deleteIfExists(temporary(file));
        byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        int whole = bytes.length;
        while (whole > 0 && bytes[whole - 1] != '\n') {
            whole--;
        }
        String text = new String(bytes, 0, whole, StandardCharsets.UTF_8);
        journal.appended = read(file, text, sources);
        journal.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        journal.channel.truncate(whole);
        journal.channel.position(whole);
        if (whole == 0) {
            journal.write(HEADER + "\n");
            journal.force();
        }
        return journal;
    }

    private static long read(Path file, String text, Map<Integer, SourceProgress> sources) throws IOException {
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
        long entries = 0;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (i == 0) {
                if (!HEADER.equals(line)) {
                    throw damaged(file, 1, "it does not start with '" + HEADER + "'");
                }
                continue;
            }
            try {
                apply(line, sources);
            } catch (RuntimeException | JsonProcessingException e) {
                throw damaged(file, i + 1, "'" + line + "' (" + e.getMessage() + ")");
            }
            entries++;
        }
        return entries;
    }

    private static void apply(String line, Map<Integer, SourceProgress> sources) throws JsonProcessingException {
        String[] f = line.split(" ", 3);
        int id = Integer.parseInt(f[1]);
        switch (f[0]) {
            case "s" -> sources.putIfAbsent(id, new SourceProgress(id, JSON.readValue(f[2], String.class)));
            case "d" -> known(sources, id).done(Long.parseLong(f[2]));
            case "m" -> snapshot(known(sources, id), f[2].split(" "));
            default -> throw new IllegalArgumentException("unknown entry " + f[0]);
        }
    }

    private static void snapshot(SourceProgress source, String[] f) {
        Set<Long> open = new HashSet<>();
        for (int i = 2; i < f.length; i++) {
            open.add(Long.parseLong(f[i]));
        }
        source.snapshot(Long.parseLong(f[0]), Long.parseLong(f[1]), open);
    }

    private static SourceProgress known(Map<Integer, SourceProgress> sources, int id) {
        SourceProgress source = sources.get(id);
        if (source == null) {
            throw new IllegalArgumentException("source " + id + " is not declared");
        }
        return source;
    }

    private static IOException damaged(Path file, int line, String what) {
        return new IOException("the journal " + file + " is damaged at line " + line + ": " + what);
    }

    /** The line declaring a source. */
    static String declaration(SourceProgress source) {
        try {
            return "s " + source.id + " " + JSON.writeValueAsString(source.name);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line saying an input is finished. */
    static String done(int source, long line) {
        return "d " + source + " " + line;
    }

    /** Appends lines, each ended by {@code '\n'}, and syncs when the last sync is old enough. */
    void append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        write(sb.toString());
        appended += lines.size();
        unforced = true;
        if (System.nanoTime() - lastForce >= FORCE_EVERY_NANOS) {
            force();
        }
    }

    /** Tells whether enough was appended since the last snapshot to rewrite it. */
    boolean due() {
        return appended >= compactEvery;
    }

    /**
     * Replaces the journal with a snapshot of {@code sources}: written to a temporary file, synced, and
     * renamed over the journal, so a crash leaves either the old journal or the new one.
     */
    void compact(Collection<SourceProgress> sources) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (SourceProgress s : sources) {
            sb.append(declaration(s)).append('\n');
            sb.append("m ").append(s.id).append(' ').append(s.frontier).append(' ').append(s.finished);
            s.open.stream().sorted().forEach(line -> sb.append(' ').append(line));
            sb.append('\n');
            s.doneAbove.forEach(line -> sb.append(done(s.id, line)).append('\n'));
        }
        Path temp = temporary(file);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, sb.toString());
            out.force(true);
        }
        channel.close();
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(file.toAbsolutePath().getParent());
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appended = 0;
        unforced = false;
        lastForce = System.nanoTime();
    }

    /** Syncs what was appended and not synced yet. */
    void force() throws IOException {
        channel.force(false);
        unforced = false;
        lastForce = System.nanoTime();
    }

    /** Returns the number of entries appended since the last snapshot. */
    long appended() {
        return appended;
    }

    @Override
    public void close() throws IOException {
        try {
            if (unforced) {
                force();
            }
        } finally {
            channel.close();
        }
    }

    /** Closes the file without syncing, as a killed process would leave it. */
    void abandon() throws IOException {
        channel.close();
    }

    private void write(String text) throws IOException {
        writeFully(channel, text);
    }

    private static void writeFully(FileChannel out, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Makes a rename durable; some platforms cannot open a directory, and lose only that. */
    static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not supported here (Windows): the rename is as durable as the platform makes it.
        }
    }

    private static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }
}
