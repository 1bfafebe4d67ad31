import dev.sluice.parse.Parse;
import dev.sluice.parse.SplitOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * The second memory bound of issue 7: streams a generated JSON document of about BYTES bytes,
 * {"items":[ ...~500-byte elements... ]}, through Parse.elements("/items") in 64 KiB chunks, without
 * ever holding the document. Prints elements, bytes, the largest live heap seen after a full GC
 * (sampled once a second) and the peak heap used.
 */
public final class SplitBound {

    public static void main(String[] args) throws Exception {
        long target = Long.parseLong(args[0]);
        AtomicLong maxLive = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                maxLive.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        AtomicLong bytes = new AtomicLong();
        AtomicLong generated = new AtomicLong();
        long count = Parse.elements(document(target, bytes, generated), "/items", SplitOptions.DEFAULTS, "generated")
                .count().block();
        sampler.interrupt();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("elements=%d bytes=%d max_live_mb=%.1f peak_heap_mb=%.1f generated=%d%n",
                count, bytes.get(), maxLive.get() / 1048576.0, peak / 1048576.0, generated.get());
    }

    /** Emits the document in 64 KiB chunks, generated as they are requested. */
    private static Flux<ByteBuffer> document(long target, AtomicLong bytes, AtomicLong generated) {
        String pad = "x".repeat(380);
        return Flux.generate(() -> 0L, (Long i, reactor.core.publisher.SynchronousSink<ByteBuffer> sink) -> {
            StringBuilder chunk = new StringBuilder(70_000);
            if (i == 0) {
                chunk.append("{\"meta\":{\"generated\":true},\"items\":[");
            }
            long n = i;
            while (chunk.length() < 65_000 && bytes.get() + chunk.length() < target) {
                chunk.append(n == 0 ? "" : ",").append("{\"id\":").append(n).append(",\"title\":\"item ").append(n)
                        .append("\",\"score\":").append(n % 100).append(",\"tags\":[\"a\",\"b\"],\"pad\":\"").append(pad).append("\"}");
                n++;
            }
            generated.set(n);
            boolean last = bytes.get() + chunk.length() >= target;
            if (last) {
                chunk.append("]}");
            }
            byte[] data = chunk.toString().getBytes(StandardCharsets.UTF_8);
            bytes.addAndGet(data.length);
            sink.next(ByteBuffer.wrap(data));
            if (last) {
                sink.complete();
            }
            return n;
        });
    }
}
