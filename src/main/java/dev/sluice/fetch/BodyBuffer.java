package dev.sluice.fetch;

import dev.sluice.Tally;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import reactor.core.publisher.SynchronousSink;

/**
 * Copies a response body out of Netty buffers as they arrive (Reactor Netty releases each buffer
 * right after {@code onNext}), counting decompressed bytes and erroring as soon as they exceed the
 * limit, so nothing past the limit is kept. One per response; used from one thread at a time.
 *
 * <p>Each chunk is copied once, straight into one array sized by the response's
 * {@code content-length} when it has one (the common case: one allocation and one copy per body);
 * that array is handed on as the body, without a further copy.
 */
final class BodyBuffer {

    /** The largest first allocation an announced length may ask for; bigger bodies grow as they arrive. */
    private static final long INITIAL_LIMIT = 1L << 20;

    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final long max;
    private final int status;
    private final Tally tally;
    private final Timing timing;
    private byte[] bytes;
    private int size;
    private long total;

    /**
     * @param expected the body's announced length ({@code content-length}, already checked against
     *     {@code max}), or a negative number when unknown; only sizes the first allocation
     * @param timing told of every chunk (for the response timeout)
     */
    BodyBuffer(long max, int status, Tally tally, long expected, Timing timing) {
        this.max = max;
        this.status = status;
        this.tally = tally;
        this.timing = timing;
        this.bytes = new byte[(int) Math.max(0, Math.min(expected, Math.min(max, INITIAL_LIMIT)))];
    }

    /** Takes one chunk; errors the body with {@link TooLarge} once past the limit. */
    void append(ByteBuf chunk, SynchronousSink<Object> sink) {
        timing.read();
        int n = chunk.readableBytes();
        total += n;
        tally.bytesIn(n);
        if (total > max) {
            sink.error(TooLarge.body(max, status));
            return;
        }
        if (size + n > bytes.length) {
            long grown = Math.min(Math.min(max, MAX_ARRAY), Math.max(2L * bytes.length, 256));
            bytes = Arrays.copyOf(bytes, (int) Math.max(size + n, grown));
        }
        chunk.getBytes(chunk.readerIndex(), bytes, size, n);
        size += n;
    }

    String text() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    /** The body's bytes: the buffer itself when it was sized exactly (the usual case), else a trimmed copy. */
    byte[] bytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** The body is, or says it will be, larger than the limit. */
    static final class TooLarge extends RuntimeException {
        private final int status;

        TooLarge(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        /** A body of {@code status} that grew past {@code max} bytes. */
        static TooLarge body(long max, int status) {
            return new TooLarge("body exceeds the maximum of " + max + " bytes", status);
        }

        int status() {
            return status;
        }
    }
}
