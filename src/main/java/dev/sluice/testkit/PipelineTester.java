package dev.sluice.testkit;

import dev.sluice.ConfigException;
import dev.sluice.Item;
import dev.sluice.Pipeline;
import dev.sluice.RunContext;
import dev.sluice.RunReport;
import dev.sluice.definition.PipelineDefinition;
import dev.sluice.definition.PipelineFiles;
import dev.sluice.fetch.InMemoryHttp;
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
 * the run does no real I/O: virtual time cannot advance a real socket (ECOSYSTEM.md section 4.1).
 * {@link #inMemory()} answers the requests from the stubs' routes without sockets, so that runs with
 * fetch stages work in virtual time too.
 *
 * <p>Testers are immutable; {@code mapHost} returns a new one.
 */
public final class PipelineTester {

    private final Pipeline pipeline;
    private final Map<String, StubServer> hosts;
    private final StubServer everyHost;
    private final boolean inMemory;

    private PipelineTester(Pipeline pipeline, Map<String, StubServer> hosts, StubServer everyHost, boolean inMemory) {
        this.pipeline = pipeline;
        this.hosts = Map.copyOf(hosts);
        this.everyHost = everyHost;
        this.inMemory = inMemory;
    }

    /**
     * Tests a pipeline built in Java; its sinks are ignored.
     *
     * @param pipeline the pipeline
     * @return a new {@code PipelineTester} with no host mapped
     */
    public static PipelineTester of(Pipeline pipeline) {
        return new PipelineTester(Objects.requireNonNull(pipeline, "pipeline"), Map.of(), null, false);
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
        return new PipelineTester(pipeline, next, everyHost, inMemory);
    }

    /**
     * Sends every request, whatever its host, to {@code stub}; {@link #mapHost} entries still win.
     *
     * @param stub the server
     * @return a new {@code PipelineTester}
     */
    public PipelineTester mapAllHosts(StubServer stub) {
        return new PipelineTester(pipeline, hosts, Objects.requireNonNull(stub, "stub"), inMemory);
    }

    /**
     * Answers the run's requests in memory, from the routes of the mapped stubs, instead of over
     * loopback sockets, so that a whole run follows Reactor's clock and works under
     * {@code StepVerifier.withVirtualTime}: retries and their backoff, {@code Retry-After}, rate
     * limits, per-attempt deadlines and {@link Reply#delayed delayed} or {@link Reply#stall stalled}
     * replies take no wall time. The stubs log each request with its arrival in the run's virtual
     * time, counted from the run's start ({@link StubRequest#arrival()}).
     *
     * <p>Hosts are mapped as before ({@link #mapHost}, {@link #mapAllHosts}); a request for a host
     * mapped to no stub fails as a refused connection. Not modelled in memory: connection pools,
     * connect and read timeouts, TLS, proxies, and the streaming of a {@code fetch} followed by
     * {@code parse} with {@code split}, which errors (see {@link dev.sluice.fetch.InMemoryHttp}).
     *
     * <pre>{@code
     * StepVerifier.withVirtualTime(() -> tester.mapAllHosts(stub).inMemory().items())
     *         .thenAwait(Duration.ofMinutes(5))
     *         .expectNextCount(3)
     *         .verifyComplete();
     * }</pre>
     *
     * @return a new {@code PipelineTester}
     */
    public PipelineTester inMemory() {
        return new PipelineTester(pipeline, hosts, everyHost, true);
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
        RunContext context = new RunContext().rewriteUrls(rewrite());
        return inMemory ? InMemoryHttp.install(context, new InMemoryStubs(hosts, everyHost)) : context;
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
