package dev.sluice.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file opened for writing through a {@link FileChannel}, so what was written can be forced to the
 * storage device ({@link #sync()}). Opened either replacing the file or continuing it: a continued
 * file first loses a torn last line (bytes after the last {@code '\n'}, left by a process killed
 * while writing), so appended lines start on a line of their own. Every method blocks.
 */
final class FileStream extends OutputStream {

    private static final Logger LOG = LoggerFactory.getLogger(FileStream.class);
    private static final int TAIL_CHUNK = 8192;

    private final FileChannel channel;
    private final long startSize;

    private FileStream(FileChannel channel, long startSize) {
        this.channel = channel;
        this.startSize = startSize;
    }

    /** Opens {@code path} empty: truncated when it exists, created otherwise. */
    static FileStream replacing(Path path) throws IOException {
        return new FileStream(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), 0);
    }

    /** Opens {@code path} at its end, created when missing, after dropping a torn last line. */
    static FileStream continuing(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long size = channel.size();
            long whole = wholeLines(channel, size);
            if (whole < size) {
                channel.truncate(whole);
                channel.force(false);
                LOG.warn("dropped a torn last line ({} bytes) from {}: an earlier run was cut while writing it",
                        size - whole, path);
            }
            channel.position(whole);
            return new FileStream(channel, whole);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Returns the length of the file up to and including its last {@code '\n'}, or 0. */
    static long wholeLines(FileChannel channel, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(TAIL_CHUNK);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - TAIL_CHUNK);
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining() && channel.read(chunk, start + chunk.position()) >= 0) {
                // Reads until the chunk is full.
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    /** Returns the size of the file when it was opened (after a torn line was dropped). */
    long startSize() {
        return startSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Forces what was written to the storage device. */
    void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
