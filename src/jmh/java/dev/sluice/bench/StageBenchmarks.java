package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Item;
import dev.sluice.Pipeline;
import dev.sluice.SinkReport;
import dev.sluice.Stage;
import dev.sluice.parse.Parse;
import dev.sluice.sink.Outputs;
import dev.sluice.transform.Jq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * The per-item cost of the stages of the fanout-json job that do not touch the network. Each
 * invocation pushes {@value #BATCH} items through one stage (a subscription of its own, as one run
 * would be), so the scores are in nanoseconds per item. The baselines do the same work without
 * Sluice: plain Jackson for parse, a bare {@code Flux} for the pipeline's accounting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(StageBenchmarks.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dlogback.configurationFile=dev/sluice/cli/logback.xml"})
public class StageBenchmarks {

    /** Items per invocation. */
    public static final int BATCH = 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Item[] texts;
    private Item[] parsed;
    private Item[] projected;
    private String[] bodies;
    private Stage parse;
    private Stage filter;
    private Stage map;
    private Path dir;
    private Path sinkFile;

    /** Builds the inputs and the stages once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        texts = Bodies.textItems(BATCH);
        parsed = Bodies.parsedItems(BATCH);
        projected = Bodies.projectedItems(BATCH);
        bodies = new String[BATCH];
        for (int i = 0; i < BATCH; i++) {
            bodies[i] = texts[i].value().textValue();
        }
        parse = Parse.json();
        filter = Jq.filter(".score >= 50");
        map = Jq.map("{id, title, author: .author.name}");
        dir = Files.createTempDirectory("sluice-jmh");
        sinkFile = dir.resolve("out.ndjson");
    }

    /** Removes the sink's file. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(sinkFile);
        Files.deleteIfExists(dir);
    }

    /** {@code Parse.json()} on ~500-byte bodies. */
    @Benchmark
    public Item parseJson() {
        return Flux.fromArray(texts).transform(parse).blockLast();
    }

    /** Baseline for parse: Jackson's {@code readTree} on the same strings, no Sluice. */
    @Benchmark
    public JsonNode jacksonReadTree() throws IOException {
        JsonNode last = null;
        for (String body : bodies) {
            last = MAPPER.readTree(body);
        }
        return last;
    }

    /** {@code Jq.filter(".score >= 50")} on parsed items (about half pass). */
    @Benchmark
    public Item jqFilter() {
        return Flux.fromArray(parsed).transform(filter).blockLast();
    }

    /** {@code Jq.map("{id, title, author: .author.name}")} on parsed items. */
    @Benchmark
    public Item jqMap() {
        return Flux.fromArray(parsed).transform(map).blockLast();
    }

    /**
     * A stage-less {@code Pipeline} of in-memory items into a counting sink: the run context,
     * per-item accounting (input, output), the shared flow to the sink and the dead-letter sink.
     */
    @Benchmark
    public Object pipelineAccounting() {
        return Pipeline.from(() -> Flux.fromArray(parsed))
                .to(items -> items.count().map(SinkReport::new))
                .run()
                .block();
    }

    /** Baseline for accounting: the same items counted by a bare {@code Flux}. */
    @Benchmark
    public Long fluxBaseline() {
        return Flux.fromArray(parsed).count().block();
    }

    /** {@code Outputs.ndjson(file)}: projected records written as JSON lines to a temp file. */
    @Benchmark
    public SinkReport ndjsonSink() {
        return Outputs.ndjson(sinkFile).write(Flux.fromArray(projected)).block();
    }
}
