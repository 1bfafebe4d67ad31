package dev.sluice.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ConfigException;
import dev.sluice.IoReason;
import dev.sluice.Ledger;
import dev.sluice.Origin;
import dev.sluice.Problem;
import dev.sluice.SinkException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state directory of a resumable run ({@code sluice run FILE --state DIR}) and the {@link Ledger}
 * that keeps it: which inputs are finished, in a journal that survives {@code kill -9}.
 *
 * <p>An input is finished when every item descended from it has ended: filtered, or written by a sink
 * that synced it and acknowledged it. Finished inputs are appended to the journal when a sink
 * commits (after its own sync), so the journal never holds an input whose outputs a crash could
 * lose. A later run with the same directory skips them. The directory also holds the identity of the
 * pipeline that wrote it ({@code state.json}): another pipeline is refused unless forced, and a lock
 * keeps two runs from sharing it. {@link #checkInputs} refuses input files whose earlier lines
 * changed ({@code inputs.json}); call it after opening, with the source's {@code files()}.
 *
 * <pre>{@code
 * Mono<RunReport> report = Mono.using(
 *         () -> RunState.open(dir, RunState.identity(bytes, overrides), false),
 *         state -> pipeline.run(new RunContext().follow(state)),
 *         RunState::close);
 * }</pre>
 */
public final class RunState implements Ledger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITY = "state.json";
    private static final String INPUTS = "inputs.json";
    private static final String JOURNAL = "journal";
    private static final String LOCK = "lock";

    /** Journal entries appended between two snapshots. */
    static final long COMPACT_EVERY = 100_000;

    private final Path dir;
    private final Journal journal;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final String previousIdentity;
    private final long finishedEarlier;
    private final boolean continuing;

    // Guarded by this: the picture of every source, the items in flight, the inputs finished and not
    // journaled yet. Never held during I/O.
    private final Map<String, SourceProgress> sources = new LinkedHashMap<>();
    private final Map<Origin, long[]> inFlight = new HashMap<>();
    private List<String> unjournaled = new ArrayList<>();
    private List<long[]> unapplied = new ArrayList<>();

    // Serializes journal I/O (commit, close).
    private final Object journalLock = new Object();
    private final AtomicBoolean warnedLate = new AtomicBoolean();
    private boolean closed;

    private RunState(Path dir, Journal journal, FileChannel lockFile, FileLock lock, Map<Integer, SourceProgress> read,
            String previousIdentity) {
        this.dir = dir;
        this.journal = journal;
        this.lockFile = lockFile;
        this.lock = lock;
        this.previousIdentity = previousIdentity;
        long earlier = 0;
        for (SourceProgress s : read.values()) {
            sources.put(s.name, s);
            earlier += s.finished;
        }
        this.finishedEarlier = earlier;
        this.continuing = earlier > 0;
    }

    /**
     * Opens (or creates) a state directory for a pipeline.
     *
     * @param dir the directory; created when missing
     * @param identity the pipeline's identity, e.g. from {@link #identity(byte[], List)}
     * @param force take over a directory written by another pipeline instead of refusing it
     * @return the open state; close it when the run ends
     * @throws ConfigException when the directory belongs to another pipeline (and {@code force} is
     *     false), is used by another run, or its journal is damaged
     * @throws UncheckedIOException when the directory cannot be read or written
     */
    public static RunState open(Path dir, String identity, boolean force) {
        return open(dir, identity, force, COMPACT_EVERY);
    }

    static RunState open(Path dir, String identity, boolean force, long compactEvery) {
        FileChannel lockFile = null;
        try {
            Files.createDirectories(dir);
            lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(lockFile);
            if (lock == null) {
                throw refused(dir, "the state directory " + dir + " is in use by another run; wait for it to end, "
                        + "or give this run another --state directory");
            }
            String previous = checkIdentity(dir, identity, force);
            Map<Integer, SourceProgress> read = new LinkedHashMap<>();
            Journal journal;
            try {
                journal = Journal.open(dir.resolve(JOURNAL), read, compactEvery);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("is damaged")) {
                    throw refused(dir, e.getMessage() + "; delete " + dir + " to start over");
                }
                throw e;
            }
            RunState state = new RunState(dir, journal, lockFile, lock, read, previous);
            lockFile = null;
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the state directory " + dir + ": " + IoReason.of(e), e);
        } finally {
            closeQuietly(lockFile);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Returns the identity the directory had when {@code force} replaced it, or null. */
    private static String checkIdentity(Path dir, String identity, boolean force) throws IOException {
        Path file = dir.resolve(IDENTITY);
        if (!Files.exists(file)) {
            writeIdentity(dir, identity);
            return null;
        }
        JsonNode stored = JSON.readTree(file.toFile());
        String was = stored.path("pipeline_sha256").asText();
        if (was.equals(identity)) {
            return null;
        }
        if (!force) {
            throw refused(dir, "the state directory " + dir + " was written by another pipeline (sha256 "
                    + shortHash(was) + "), not this one (sha256 " + shortHash(identity) + "): the pipeline file or "
                    + "its --set overrides changed. Resume with the pipeline that wrote it, give this run another "
                    + "--state directory, delete " + dir + " to start over, or add --force to resume anyway");
        }
        writeIdentity(dir, identity);
        return was;
    }

    private static void writeIdentity(Path dir, String identity) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", 1);
        node.put("pipeline_sha256", identity);
        writeAtomically(dir, IDENTITY, node);
    }

    /** Replaces {@code dir/name} with {@code node}: a temporary file renamed onto it, then the directory synced. */
    private static void writeAtomically(Path dir, String name, JsonNode node) throws IOException {
        Path temp = dir.resolve(name + ".tmp");
        Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Journal.syncDirectory(dir);
    }

    /**
     * Computes a pipeline's identity: the SHA-256 of its file's bytes and of its {@code --set}
     * overrides, in order, as lowercase hex.
     *
     * @param pipelineFile the pipeline file's bytes
     * @param overrides the overrides given on the command line
     * @return 64 hex digits
     */
    public static String identity(byte[] pipelineFile, List<String> overrides) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(pipelineFile);
            for (String o : overrides) {
                sha.update((byte) 0);
                sha.update(o.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Returns how many inputs earlier runs finished.
     *
     * @return the count journaled before this run
     */
    public long finishedEarlier() {
        return finishedEarlier;
    }

    /**
     * Returns the identity the directory had before {@code force} gave it to this pipeline.
     *
     * @return the earlier identity, or the empty string when the identity did not change
     */
    public String replacedIdentity() {
        return previousIdentity == null ? "" : previousIdentity;
    }

    @Override
    public boolean continuing() {
        return continuing;
    }

    /**
     * Checks the files the inputs come from against what the earlier runs read ({@code inputs.json}:
     * each file's length and CRC-32C), then records them as they are now. The journal names inputs by
     * file and line, so a file whose earlier bytes changed would make this run skip other inputs than
     * the ones finished, and run some twice: it is refused unless {@code force}. A file that only grew
     * (lines appended) passes, and its new lines run. So does a file no earlier run recorded, and any
     * file when no earlier run finished an input. A missing file is left to its source to report.
     *
     * @param files the source's files ({@link dev.sluice.Source#files()})
     * @param force go on even though a file changed
     * @return the files that changed, when {@code force} let the run go on; otherwise empty
     * @throws ConfigException when a file changed and {@code force} is false
     * @throws UncheckedIOException when a file or the directory cannot be read or written
     */
    public List<Path> checkInputs(List<Path> files, boolean force) {
        Path inputs = dir.resolve(INPUTS);
        try {
            JsonNode earlier = Files.exists(inputs) ? JSON.readTree(inputs.toFile()).path("files") : JSON.createObjectNode();
            ObjectNode record = JSON.createObjectNode();
            record.put("format", 1);
            ObjectNode recorded = record.putObject("files");
            List<Path> changed = new ArrayList<>();
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                JsonNode was = earlier.path(file.toString());
                long before = was.isObject() ? was.path("bytes").asLong(-1) : -1;
                Fingerprint now = Fingerprint.of(file, before);
                if (before >= 0 && continuing && now.headCrc() != was.path("crc32c").asLong()) {
                    changed.add(file);
                }
                ObjectNode entry = recorded.putObject(file.toString());
                entry.put("bytes", now.length());
                entry.put("crc32c", now.crc());
            }
            if (!changed.isEmpty() && !force) {
                Path first = changed.get(0);
                throw refused(dir, "the input file " + first + " changed since an earlier run with the state directory "
                        + dir + " read it: its first " + earlier.path(first.toString()).path("bytes").asLong()
                        + " bytes are not the ones read then (lines appended at the end are fine). The journal names "
                        + "inputs by line, so this run would skip the wrong ones. Restore the file, give this run "
                        + "another --state directory, delete " + dir + " to start over, or add --force to resume anyway");
            }
            writeAtomically(dir, INPUTS, record);
            return changed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the input files against the state directory " + dir + ": "
                    + IoReason.of(e), e);
        }
    }

    /**
     * A file as read now.
     *
     * @param length its length in bytes
     * @param crc the CRC-32C of all of it
     * @param headCrc the CRC-32C of its first {@code prefix} bytes, or -1 when it is shorter
     */
    private record Fingerprint(long length, long crc, long headCrc) {

        /** Reads {@code file} once, for both checksums. */
        static Fingerprint of(Path file, long prefix) throws IOException {
            CRC32C head = new CRC32C();
            CRC32C all = new CRC32C();
            long length = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (length < prefix) {
                        head.update(buffer, 0, (int) Math.min(n, prefix - length));
                    }
                    all.update(buffer, 0, n);
                    length += n;
                }
            }
            return new Fingerprint(length, all.getValue(), length >= prefix ? head.getValue() : -1);
        }
    }

    @Override
    public synchronized boolean admit(Origin origin) {
        SourceProgress source = sources.computeIfAbsent(origin.source(), this::declared);
        if (!source.admit(origin.line())) {
            return false;
        }
        inFlight.put(origin, new long[] {1});
        return true;
    }

    private SourceProgress declared(String name) {
        SourceProgress source = new SourceProgress(sources.size(), name);
        unjournaled.add(Journal.declaration(source));
        return source;
    }

    @Override
    public synchronized void opened(Origin origin, long items) {
        long[] count = inFlight.get(origin);
        if (count == null) {
            late(origin);
            return;
        }
        count[0] += items;
    }

    @Override
    public synchronized void ended(Origin origin, long items) {
        long[] count = inFlight.get(origin);
        if (count == null) {
            late(origin);
            return;
        }
        count[0] -= items;
        if (count[0] <= 0) {
            inFlight.remove(origin);
            SourceProgress source = sources.get(origin.source());
            unjournaled.add(Journal.done(source.id, origin.line()));
            unapplied.add(new long[] {source.id, origin.line()});
        }
    }

    /** An item of an input that is not in flight: a step that does not account for what it emits. */
    private void late(Origin origin) {
        if (warnedLate.compareAndSet(false, true)) {
            LOG.warn("an item of input {} arrived after the input was finished or before it was read: a step does "
                    + "not tell the tally which input its items descend from; a resumed run may redo or miss it",
                    origin);
        }
    }

    @Override
    public void commit() {
        synchronized (journalLock) {
            if (closed) {
                return;
            }
            try {
                append();
                if (journal.due()) {
                    journal.compact(snapshot());
                }
            } catch (IOException e) {
                throw cannotWrite(e);
            }
        }
    }

    /** Appends what finished since the last commit, then counts it in the picture. */
    private void append() throws IOException {
        List<String> lines;
        List<long[]> applied;
        synchronized (this) {
            lines = unjournaled;
            applied = unapplied;
            unjournaled = new ArrayList<>();
            unapplied = new ArrayList<>();
        }
        journal.append(lines);
        synchronized (this) {
            Map<Integer, SourceProgress> byId = new HashMap<>();
            sources.values().forEach(s -> byId.put(s.id, s));
            for (long[] done : applied) {
                byId.get((int) done[0]).done(done[1]);
            }
        }
    }

    private synchronized List<SourceProgress> snapshot() {
        return sources.values().stream().map(SourceProgress::copy).toList();
    }

    /**
     * Returns how many inputs are in flight: read and not finished, or finished and not journaled.
     *
     * @return the count
     */
    public synchronized long inFlight() {
        return inFlight.size() + unapplied.size();
    }

    /**
     * Journals what finished, compacts the journal and releases the directory. Call it once the run
     * ended, whichever way.
     *
     * @throws SinkException when the journal cannot be written
     */
    @Override
    public void close() {
        synchronized (journalLock) {
            if (closed) {
                return;
            }
            try {
                append();
                if (journal.appended() > 0) {
                    journal.compact(snapshot());
                }
                journal.close();
            } catch (IOException e) {
                throw cannotWrite(e);
            } finally {
                closed = true;
                releaseLock();
            }
        }
    }

    /** Leaves the directory as a killed process would: nothing more journaled, the lock released. */
    void abandon() throws IOException {
        synchronized (journalLock) {
            closed = true;
            journal.abandon();
            releaseLock();
        }
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(lockFile);
    }

    private SinkException cannotWrite(IOException e) {
        return new SinkException("cannot write the state journal in " + dir + ": " + IoReason.of(e)
                + "; the inputs finished since its last entry will run again when resumed", e);
    }

    private static ConfigException refused(Path dir, String message) {
        return new ConfigException(List.of(new Problem(dir.toString(), 0, 0, "", message)));
    }

    private static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was written through it.
            }
        }
    }

    @Override
    public String toString() {
        return "RunState[" + dir + "]";
    }
}
