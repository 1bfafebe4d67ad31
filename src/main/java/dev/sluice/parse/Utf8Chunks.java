package dev.sluice.parse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;

/**
 * Encodes a text lazily as UTF-8 chunks, so a body already held as a string is fed to a streaming
 * parser without a second full copy of it in memory.
 */
final class Utf8Chunks {

    /** Characters per chunk: at most 192 KiB of UTF-8. */
    static final int CHUNK_CHARS = 64 * 1024;

    private Utf8Chunks() {}

    static Flux<ByteBuffer> of(String text) {
        return Flux.generate(() -> 0, (start, sink) -> {
            if (start >= text.length()) {
                sink.complete();
                return start;
            }
            int end = end(text, start);
            sink.next(ByteBuffer.wrap(text.substring(start, end).getBytes(StandardCharsets.UTF_8)));
            return end;
        });
    }

    /** Ends a chunk before a high surrogate whose low half would fall into the next chunk. */
    private static int end(String text, int start) {
        int end = Math.min(text.length(), start + CHUNK_CHARS);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }
}
