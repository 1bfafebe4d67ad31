import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Item;
import dev.sluice.Pipeline;
import dev.sluice.RunReport;
import dev.sluice.Sink;
import dev.sluice.fetch.Fetch;
import dev.sluice.fetch.FetchOptions;
import dev.sluice.fetch.RetryOptions;
import dev.sluice.parse.Parse;
import dev.sluice.sink.Outputs;
import dev.sluice.source.Inputs;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * The soak benchmark of issue 8: N inputs through a fetch step against {@link SoakServer} (the
 * seeded fault mix of {@link SoakPlan}), then {@code parse: json}, into NDJSON output and dead-letter
 * files, under the heap cap and leak detection that {@code bench/soak.sh} sets. Prints its figures
 * and PASS or FAIL, and exits 1 on FAIL.
 *
 * <p>Checks: the run report balances and counts N inputs; every input id is in the output file or the
 * dead-letter file exactly once, and ends as planned (an output, or a dead letter with the planned
 * reason); no Netty leak report; the live heap (sampled after a full GC every {@code SAMPLE}) is flat
 * (the late third's largest sample is at most 1.25 x the early third's) and at most half the cap; no
 * item took longer than {@link #ITEM_BOUND} in the fetch step, and the run ended within
 * {@link #ITEM_BOUND} of the last input entering it.
 *
 * <p>Usage: {@code java -Xmx256m -cp sluice.jar:. Soak WORK_DIR N SEED PORT [leak]} ({@code leak}: the
 * negative control, which leaks a buffer every 10th item and must FAIL).
 */
public final class Soak {

    static final int CONCURRENCY = 64;
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration POOL_TIMEOUT = Duration.ofSeconds(5);
    static final Duration BACKOFF = Duration.ofMillis(10);
    static final Duration MAX_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_RETRY_AFTER = Duration.ofMillis(20);
    static final int REDIRECTS = 3;
    static final long MAX_BODY = 64 * 1024;
    static final Duration SAMPLE = Duration.ofSeconds(2);

    /**
     * The longest one input can take in the fetch step: each of A attempts follows up to R redirects,
     * and each of its (R + 1) hops may wait W for the host's Retry-After pause, P for a pooled
     * connection, K to connect and T for the response; between attempts it waits at most W, where
     * W = max(max_backoff, max_retry_after). ITEM_BOUND = A (R + 1) (W + P + K + T) + (A - 1) W.
     */
    static final Duration ITEM_BOUND = longestWait().plus(POOL_TIMEOUT).plus(CONNECT_TIMEOUT).plus(TIMEOUT)
            .multipliedBy((long) SoakPlan.ATTEMPTS * (REDIRECTS + 1)).plus(longestWait().multipliedBy(SoakPlan.ATTEMPTS - 1));

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    private Soak() {}

    public static void main(String[] args) throws Exception {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Recording());
        Path work = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        int port = Integer.parseInt(args[3]);
        boolean leakControl = args.length > 4 && args[4].equals("leak");
        Path urls = work.resolve("urls.txt");
        Path out = work.resolve("out.ndjson");
        Path dead = work.resolve("dead.ndjson");
        writeUrls(urls, n, port);

        long t0 = System.nanoTime();
        int[] startedAt = new int[n + 1];
        int[] attempts = new int[n + 1];
        AtomicLong lastStart = new AtomicLong();
        AtomicLong maxLatency = new AtomicLong();
        List<long[]> heap = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heap-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> sampleHeap(heap, t0), SAMPLE.toMillis(), SAMPLE.toMillis(), TimeUnit.MILLISECONDS);

        Pipeline pipeline = Pipeline.from(Inputs.lines(urls))
                .then(items -> items.doOnNext(item -> {
                    int ms = millisSince(t0);
                    startedAt[(int) item.origin().line()] = ms;
                    lastStart.set(ms);
                }))
                .then(Fetch.of(options()))
                .then(items -> items.doOnNext(item -> {
                    int id = (int) item.origin().line();
                    maxLatency.accumulateAndGet(millisSince(t0) - startedAt[id], Math::max);
                    attempts[id] = item.isFailure() ? item.failure().get().attempts() : item.metadata().attempts();
                    if (leakControl && id % 10 == 0) {
                        PooledByteBufAllocator.DEFAULT.buffer(64).writeInt(id);
                    }
                }))
                .then(Parse.json())
                .to(Outputs.ndjson(out))
                .deadLetterTo(Outputs.deadLetters(dead));
        RunReport report = pipeline.run().block();
        long wallMs = millisSince(t0);
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        drainLeakDetector();

        Verdict v = new Verdict();
        v.figure("soak: %d inputs, seed %d, concurrency %d, in %.1f s: %.0f inputs/s, %d requests (%.0f req/s), %d retries",
                n, seed, CONCURRENCY, wallMs / 1000.0, n * 1000.0 / wallMs, report.requests(),
                report.requests() * 1000.0 / wallMs, report.retries());
        v.figure("soak: report %s", report.summary());
        v.check("the report balances and counts every input", report.isBalanced() && report.inputs() == n
                && report.outputs() + report.deadLettered() == n);
        checkFiles(v, out, dead, n, seed, attempts);
        v.figure("soak: server %s", stats(port));
        checkHeap(v, heap);
        v.check("no Netty leak report (" + LEAKS.size() + ")", LEAKS.isEmpty());
        LEAKS.stream().limit(3).forEach(leak -> System.out.println("soak: " + leak.lines().findFirst().orElse(leak)));
        v.figure("soak: item bound A(R+1)(W+P+K+T)+(A-1)W = 3*4*(0.1+5+2+2)+2*0.1 = %.1f s", ITEM_BOUND.toMillis() / 1000.0);
        v.check(String.format("slowest input %.1f s within the item bound", maxLatency.get() / 1000.0),
                maxLatency.get() <= ITEM_BOUND.toMillis());
        long drain = wallMs - lastStart.get();
        v.check(String.format("run ended %.1f s after the last input started, within the item bound", drain / 1000.0),
                drain <= ITEM_BOUND.toMillis());
        System.out.println(v.passed() ? "PASS" : "FAIL");
        System.exit(v.passed() ? 0 : 1);
    }

    static FetchOptions options() {
        return FetchOptions.builder()
                .concurrency(CONCURRENCY)
                .perHost(CONCURRENCY)
                .timeout(TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .connectTimeout(CONNECT_TIMEOUT)
                .poolTimeout(POOL_TIMEOUT)
                .maxBody(MAX_BODY)
                .redirects(REDIRECTS)
                .retry(RetryOptions.DEFAULTS.withAttempts(SoakPlan.ATTEMPTS).withBackoff(BACKOFF, MAX_BACKOFF)
                        .withMaxRetryAfter(MAX_RETRY_AFTER))
                .build();
    }

    private static Duration longestWait() {
        return MAX_BACKOFF.compareTo(MAX_RETRY_AFTER) >= 0 ? MAX_BACKOFF : MAX_RETRY_AFTER;
    }

    /**
     * Every id exactly once in the two files, each ending as planned; attempts compared with the
     * plan (an OK input may take one more when a burst or a closed keep-alive connection hit it).
     */
    private static void checkFiles(Verdict v, Path out, Path dead, int n, long seed, int[] attempts) throws IOException {
        ObjectMapper json = new ObjectMapper();
        byte[] seen = new byte[n + 1];
        long duplicates = 0;
        long wrong = 0;
        Map<String, Long> reasons = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(out)) {
            for (String line; (line = r.readLine()) != null; ) {
                int id = json.readTree(line).get("id").asInt();
                duplicates += seen[id]++ > 0 ? 1 : 0;
                wrong += SoakPlan.fault(seed, id).reason != null ? 1 : 0;
            }
        }
        try (BufferedReader r = Files.newBufferedReader(dead)) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode d = json.readTree(line);
                int id = d.get("origin").get("line").asInt();
                String reason = d.get("reason").asText();
                reasons.merge(reason, 1L, Long::sum);
                duplicates += seen[id]++ > 0 ? 1 : 0;
                wrong += reason.equals(SoakPlan.fault(seed, id).reason) ? 0 : 1;
            }
        }
        long missing = 0;
        long asPlanned = 0;
        long extra = 0;
        long fewer = 0;
        for (int id = 1; id <= n; id++) {
            missing += seen[id] == 0 ? 1 : 0;
            int planned = SoakPlan.attempts(seed, id);
            asPlanned += attempts[id] == planned ? 1 : 0;
            extra += Math.max(0, attempts[id] - planned);
            fewer += attempts[id] < planned ? 1 : 0;
        }
        v.figure("soak: dead letters by reason %s", reasons);
        v.figure("soak: attempts as planned for %d inputs; %d extra attempts (bursts and closed connections hit"
                + " OK inputs; anything more is a timeout under load); %d inputs with fewer", asPlanned, extra, fewer);
        v.check("every input id exactly once in outputs + dead letters (" + missing + " missing, " + duplicates
                + " duplicates)", missing == 0 && duplicates == 0);
        v.check("every input ends as planned (" + wrong + " not)", wrong == 0);
    }

    private static void checkHeap(Verdict v, List<long[]> heap) {
        List<long[]> samples;
        synchronized (heap) {
            samples = new ArrayList<>(heap);
        }
        int third = samples.size() / 3;
        long early = 0;
        long late = 0;
        long max = 0;
        for (int i = 0; i < samples.size(); i++) {
            long used = samples.get(i)[1];
            max = Math.max(max, used);
            if (i < third) {
                early = Math.max(early, used);
            } else if (i >= samples.size() - third) {
                late = Math.max(late, used);
            }
        }
        long cap = Runtime.getRuntime().maxMemory();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        v.figure("soak: heap cap %d MB; peak used %d MB (sum of pool peaks); live heap after full GC, %d samples:"
                + " max %.1f MB, early third max %.1f MB, late third max %.1f MB",
                cap >> 20, peak >> 20, samples.size(), max / 1048576.0, early / 1048576.0, late / 1048576.0);
        v.check("live heap flat (late <= 1.25 x early, >= 6 samples)", samples.size() >= 6 && late <= early * 1.25);
        v.check("live heap <= half the cap", max <= cap / 2);
    }

    private static void sampleHeap(List<long[]> heap, long t0) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        synchronized (heap) {
            heap.add(new long[] {millisSince(t0), used});
        }
    }

    /** Leaks are reported when a leaked buffer is collected and the detector next tracks a buffer. */
    private static void drainLeakDetector() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            for (int j = 0; j < 1000; j++) {
                PooledByteBufAllocator.DEFAULT.buffer(8).release();
            }
        }
    }

    private static String stats(int port) {
        try (InputStream in = new URL("http://127.0.0.1:" + port + "/stats").openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "unreachable: " + e;
        }
    }

    private static void writeUrls(Path urls, int n, int port) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(urls)) {
            for (int id = 1; id <= n; id++) {
                w.write("http://127.0.0.1:" + port + "/item/" + id);
                w.newLine();
            }
        }
    }

    private static int millisSince(long t0) {
        return (int) ((System.nanoTime() - t0) / 1_000_000);
    }

    /** Figures and checks, printed as they come. */
    private static final class Verdict {
        private boolean passed = true;

        void figure(String format, Object... args) {
            System.out.println(String.format(format, args));
        }

        void check(String what, boolean ok) {
            passed &= ok;
            System.out.println("soak: " + what + ": " + (ok ? "yes" : "NO"));
        }

        boolean passed() {
            return passed;
        }
    }

    /** Netty's leak detector, recording every report (as the test suite's LeakGuard does). */
    private static final class Recording extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add("LEAK: " + resourceType + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add("LEAK: " + resourceType + " (untraced)");
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}
