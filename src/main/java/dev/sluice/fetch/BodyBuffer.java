package dev.sluice.fetch;

import dev.sluice.Tally;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.SynchronousSink;

/**
 * Copies a response body out of Netty buffers as they arrive (Reactor Netty releases each buffer
 * right after {@code onNext}), counting decompressed bytes and erroring as soon as they exceed the
 * limit, so nothing past the limit is kept. One per response; used from one thread at a time.
 */
final class BodyBuffer {

    private final long max;
    private final int status;
    private final Tally tally;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long total;

    BodyBuffer(long max, int status, Tally tally) {
        this.max = max;
        this.status = status;
        this.tally = tally;
    }

    /** Takes one chunk; errors the body with {@link TooLarge} once past the limit. */
    void append(ByteBuf chunk, SynchronousSink<Object> sink) {
        int n = chunk.readableBytes();
        total += n;
        tally.bytesIn(n);
        if (total > max) {
            sink.error(new TooLarge("body exceeds the maximum of " + max + " bytes", status));
            return;
        }
        byte[] copy = new byte[n];
        chunk.getBytes(chunk.readerIndex(), copy);
        bytes.write(copy, 0, n);
    }

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The body is, or says it will be, larger than the limit. */
    static final class TooLarge extends RuntimeException {
        private final int status;

        TooLarge(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
