package dev.sluice.parse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * Streams a generated JSON array of about {@code args[0]} bytes through the splitter, in a JVM started
 * by {@link SplitMemoryTest} with a small heap. The body is generated chunk by chunk as the splitter
 * asks for it and never exists as a whole. Prints {@code elements=<n> expected=<n> bytes=<n>
 * first_after_bytes=<n>} and exits 0 when every element arrived and the first one arrived before the
 * body was complete.
 */
final class SplitMemoryMain {

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final String PAD = "x".repeat(48);

    private SplitMemoryMain() {}

    public static void main(String[] args) {
        long target = Long.parseLong(args[0]);
        AtomicLong generatedBytes = new AtomicLong();
        AtomicLong generatedElements = new AtomicLong();
        AtomicLong firstAfterBytes = new AtomicLong(-1);

        Long elements = Parse.elements(body(target, generatedBytes, generatedElements), "/items",
                        SplitOptions.DEFAULTS, "generated")
                .doOnNext(element -> firstAfterBytes.compareAndSet(-1, generatedBytes.get()))
                .count()
                .block();

        System.out.println("elements=" + elements + " expected=" + generatedElements.get() + " bytes="
                + generatedBytes.get() + " first_after_bytes=" + firstAfterBytes.get());
        boolean complete = elements != null && elements == generatedElements.get() && elements > 0;
        boolean early = firstAfterBytes.get() > 0 && firstAfterBytes.get() < generatedBytes.get() / 100;
        System.exit(complete && early ? 0 : 1);
    }

    /** {@code {"meta":{...},"items":[{...},...],"next":null}}, one chunk of elements at a time. */
    private static Flux<ByteBuffer> body(long target, AtomicLong bytes, AtomicLong elements) {
        Flux<String> items = Flux.generate(sink -> {
            if (bytes.get() >= target) {
                sink.complete();
                return;
            }
            StringBuilder chunk = new StringBuilder(CHUNK_BYTES + 256);
            while (chunk.length() < CHUNK_BYTES) {
                long id = elements.incrementAndGet();
                chunk.append(id == 1 ? "" : ",")
                        .append("{\"id\":").append(id)
                        .append(",\"name\":\"item-").append(id)
                        .append("\",\"tags\":[\"α\",\"β\"],\"pad\":\"").append(PAD).append("\"}");
            }
            bytes.addAndGet(chunk.length());
            sink.next(chunk.toString());
        });
        return Flux.just("{\"meta\":{\"generated\":true},\"items\":[")
                .concatWith(items)
                .concatWith(Flux.just("],\"next\":null}"))
                .map(text -> ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
}
