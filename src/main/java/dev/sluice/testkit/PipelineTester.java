package dev.sluice.testkit;

import dev.sluice.ConfigException;
import dev.sluice.Item;
import dev.sluice.Pipeline;
import dev.sluice.RunContext;
import dev.sluice.RunReport;
import dev.sluice.definition.PipelineDefinition;
import dev.sluice.definition.PipelineFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a pipeline under test, a Java {@link Pipeline} or a pipeline file, with its hosts mapped to a
 * {@link StubServer}, and exposes what it produced as publishers for {@code StepVerifier}.
 *
 * <pre>{@code
 * PipelineTester tester = PipelineTester.load(Path.of("pipelines/quickstart.yaml"))
 *         .mapHost("api.example.com", stub);
 * StepVerifier.create(tester.items()).expectNextCount(6).verifyComplete();
 * }</pre>
 *
 * <p>Host mapping goes through {@link RunContext#rewriteUrls}: fetch stages connect to the stub
 * (same path and query) while the request keeps its original {@code Host}, so the pipeline under test
 * is unchanged and stub routes may be keyed by host. The pipeline's own sinks are never written: the
 * tester reads the items that leave the last stage.
 *
 * <p>Each subscription to {@link #items()}, {@link #failures()}, {@link #report()} or {@link #run()}
 * is a new, independent run. Nothing runs at assembly, so {@code StepVerifier.withVirtualTime(() ->
 * tester.items())} puts the run's timers (delays, backoff, rate limits) on virtual time, as long as
 * the run does no real I/O: virtual time cannot advance a real socket (ECOSYSTEM.md section 4.1), so
 * test fetch timing against the stub in real time with short durations.
 *
 * <p>Testers are immutable; {@code mapHost} returns a new one.
 */
public final class PipelineTester {

    private final Pipeline pipeline;
    private final Map<String, StubServer> hosts;
    private final StubServer everyHost;

    private PipelineTester(Pipeline pipeline, Map<String, StubServer> hosts, StubServer everyHost) {
        this.pipeline = pipeline;
        this.hosts = Map.copyOf(hosts);
        this.everyHost = everyHost;
    }

    /**
     * Tests a pipeline built in Java; its sinks are ignored.
     *
     * @param pipeline the pipeline
     * @return a new {@code PipelineTester} with no host mapped
     */
    public static PipelineTester of(Pipeline pipeline) {
        return new PipelineTester(Objects.requireNonNull(pipeline, "pipeline"), Map.of(), null);
    }

    /**
     * Tests a validated pipeline file; its sink and dead-letter sink are never written.
     *
     * @param definition the definition
     * @return a new {@code PipelineTester}
     */
    public static PipelineTester of(PipelineDefinition definition) {
        return of(definition.pipeline());
    }

    /**
     * Loads a pipeline file with an empty environment (so {@code ${VAR:-default}} takes its default)
     * and no overrides. Reads the file on the calling thread.
     *
     * @param file the pipeline file
     * @return a new {@code PipelineTester}
     * @throws ConfigException when the file is invalid, with every problem
     */
    public static PipelineTester load(Path file) {
        return load(file, Map.of(), List.of());
    }

    /**
     * Loads a pipeline file. Reads the file on the calling thread.
     *
     * @param file the pipeline file
     * @param env the environment for {@code ${VAR}} interpolation
     * @param overrides {@code path=value} overrides, as {@code sluice run --set}
     * @return a new {@code PipelineTester}
     * @throws ConfigException when the file is invalid, with every problem
     */
    public static PipelineTester load(Path file, Map<String, String> env, List<String> overrides) {
        return of(PipelineFiles.load(file, env, overrides));
    }

    /**
     * Sends requests for {@code host} (any scheme and port) to {@code stub}.
     *
     * @param host the host name in the pipeline's URLs, e.g. {@code api.example.com}
     * @param stub the server to send them to
     * @return a new {@code PipelineTester}
     */
    public PipelineTester mapHost(String host, StubServer stub) {
        Map<String, StubServer> next = new LinkedHashMap<>(hosts);
        next.put(host.toLowerCase(Locale.ROOT), Objects.requireNonNull(stub, "stub"));
        return new PipelineTester(pipeline, next, everyHost);
    }

    /**
     * Sends every request, whatever its host, to {@code stub}; {@link #mapHost} entries still win.
     *
     * @param stub the server
     * @return a new {@code PipelineTester}
     */
    public PipelineTester mapAllHosts(StubServer stub) {
        return new PipelineTester(pipeline, hosts, Objects.requireNonNull(stub, "stub"));
    }

    /**
     * Returns the rewrite this tester installs in each run's context.
     *
     * @return maps a pipeline URL to the URL to connect to
     */
    public UnaryOperator<URI> rewrite() {
        return uri -> {
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            StubServer stub = hosts.getOrDefault(host, everyHost);
            return stub == null ? uri : stub.redirect(uri);
        };
    }

    /**
     * Runs the pipeline and emits its good items as they leave the last stage.
     *
     * @return a cold flux; each subscription is a new run
     */
    public Flux<Item> items() {
        return Flux.defer(() -> results(newContext())).filter(item -> !item.isFailure());
    }

    /**
     * Runs the pipeline and emits its failed items (its dead letters) as they leave the last stage.
     *
     * @return a cold flux; each subscription is a new run
     */
    public Flux<Item> failures() {
        return Flux.defer(() -> results(newContext())).filter(Item::isFailure);
    }

    /**
     * Runs the pipeline and emits its report once it completes.
     *
     * @return a cold mono; each subscription is a new run
     */
    public Mono<RunReport> report() {
        return run().map(TestRun::report);
    }

    /**
     * Runs the pipeline once and emits everything it produced, when it completes.
     *
     * @return a cold mono; each subscription is a new run
     */
    public Mono<TestRun> run() {
        return Mono.defer(() -> {
            RunContext context = newContext();
            long start = now();
            List<Item> good = new ArrayList<>();
            List<Item> failed = new ArrayList<>();
            return results(context)
                    .doOnNext(item -> (item.isFailure() ? failed : good).add(item))
                    .then(Mono.fromSupplier(() -> new TestRun(good, failed, context.tally().report(now() - start))));
        });
    }

    private RunContext newContext() {
        return new RunContext().rewriteUrls(rewrite());
    }

    /** Counts outputs and dead letters as a pipeline's {@code run()} does, so the report balances. */
    private Flux<Item> results(RunContext context) {
        return pipeline.results(context).doOnNext(item -> {
            if (item.isFailure()) {
                context.tally().deadLettered(item.failure().orElseThrow().reason());
            } else {
                context.tally().output();
            }
        });
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }
}
