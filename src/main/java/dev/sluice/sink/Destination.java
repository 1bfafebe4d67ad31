package dev.sluice.sink;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** A place a sink writes bytes to, opened once per write. {@link #open()} may block. */
interface Destination {

    /** Names the destination in error messages, e.g. the path as given. */
    String name();

    /** Opens the destination for writing; closing the stream releases it. */
    OutputStream open() throws IOException;

    /** Returns this destination as a run in {@code mode} opens it: a file continues when resuming. */
    default Destination in(WriterSink.Mode mode) {
        return this;
    }

    /** Flushes {@code out} (as opened here) and forces a file's bytes to the storage device. */
    static void sync(OutputStream out) throws IOException {
        out.flush();
        if (out instanceof FileStream file) {
            file.sync();
        }
    }

    /**
     * A file, truncated on open (or, when {@code continued}, opened at its end after its torn last line
     * is dropped); missing parent directories are created.
     */
    record ToFile(Path path, boolean continued) implements Destination {

        ToFile(Path path) {
            this(path, false);
        }

        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public Destination in(WriterSink.Mode mode) {
            return new ToFile(path, mode.continues());
        }

        @Override
        public OutputStream open() throws IOException {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            return continued ? FileStream.continuing(path) : FileStream.replacing(path);
        }
    }

    /** A stream owned by someone else: closing it only flushes it. */
    record ToStream(Supplier<OutputStream> out, String name) implements Destination {

        @Override
        public OutputStream open() {
            return new Unclosed(out.get());
        }
    }

    /**
     * Flushes instead of closing, and passes arrays through whole (FilterOutputStream writes bytewise).
     * A {@link PrintStream} ({@code System.out}) never throws: it only records that a write failed. This
     * asks it after every write and flush, so a closed pipe or a full device fails the sink instead of
     * losing its items while they count as written.
     */
    final class Unclosed extends FilterOutputStream {

        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            refused();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            refused();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
            refused();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void refused() throws IOException {
            if (out instanceof PrintStream print && print.checkError()) {
                throw new IOException("it no longer accepts data (a closed pipe or a full device)");
            }
        }
    }
}
