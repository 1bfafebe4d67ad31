package dev.sluice.testkit;

import dev.sluice.ConfigException;
import dev.sluice.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * One case of a declarative test file: stub replies, environment, overrides and expectations for a
 * pipeline file. Run it with {@link #run(StubServer)}.
 */
public final class TestCase {

    /** The environment variable a case sets to the stub's base URL unless its {@code env} sets it. */
    public static final String SERVE_URL = "SLUICE_SERVE_URL";

    private final String file;
    private final String name;
    private final Path pipeline;
    private final Map<String, String> env;
    private final List<String> overrides;
    private final List<DeclaredRoute> stubs;
    private final Expectations expect;
    private final Duration timeout;
    private final boolean virtualTime;

    TestCase(String file, String name, Path pipeline, Map<String, String> env, List<String> overrides,
            List<DeclaredRoute> stubs, Expectations expect, Duration timeout, boolean virtualTime) {
        this.file = file;
        this.name = name;
        this.pipeline = pipeline;
        this.env = Map.copyOf(env);
        this.overrides = List.copyOf(overrides);
        this.stubs = List.copyOf(stubs);
        this.expect = expect;
        this.timeout = timeout;
        this.virtualTime = virtualTime;
    }

    /**
     * Returns the case's name.
     *
     * @return the name given in the test file
     */
    public String name() {
        return name;
    }

    /**
     * Returns the pipeline file the case runs.
     *
     * @return the path
     */
    public Path pipeline() {
        return pipeline;
    }

    /**
     * Runs the case: resets {@code stub} and installs the case's replies, loads the pipeline file (on
     * {@code boundedElastic}) with the case's environment ({@value #SERVE_URL} defaults to the stub's
     * base URL) and overrides, maps every host to the stub, runs it, and checks the expectations.
     * Cases sharing a stub must run one at a time.
     *
     * <p>A case with {@code virtual_time: true} runs {@linkplain PipelineTester#inMemory() in memory}
     * on a virtual clock: backoff, {@code Retry-After}, rate limits, delays and deadlines take no wall
     * time, and {@code timeout} is virtual time. The virtual clock replaces Reactor's schedulers for
     * the whole JVM while the case runs, so such a case must not run alongside other reactive work.
     *
     * @param stub the server to answer the pipeline's requests
     * @return the result; it never errors: an invalid pipeline or a timeout is a failed case
     */
    public Mono<CaseResult> run(StubServer stub) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            stub.reset();
            stubs.forEach(route -> route.install(stub));
            Map<String, String> runEnv = new HashMap<>(env);
            runEnv.putIfAbsent(SERVE_URL, stub.baseUrl());
            return Mono.fromCallable(() -> PipelineTester.load(pipeline, runEnv, overrides))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(tester -> virtualTime ? inVirtualTime(tester.mapAllHosts(stub).inMemory())
                            : tester.mapAllHosts(stub).run().timeout(timeout))
                    .flatMap(run -> expect.check(run, stub.requests()))
                    .onErrorResume(e -> Mono.just(List.of(error(e))))
                    .map(mismatches -> new CaseResult(file, name, mismatches, Duration.ofNanos(System.nanoTime() - start)));
        });
    }

    /**
     * Runs {@code tester} on a virtual clock that jumps ahead to each scheduled wait until the run
     * completes or {@code timeout} of virtual time has passed. The driver blocks, so it runs on
     * {@code boundedElastic}; the run itself never touches a real scheduler.
     */
    private Mono<TestRun> inVirtualTime(PipelineTester tester) {
        return Mono.fromCallable(() -> {
            VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
            CompletableFuture<TestRun> run;
            try {
                // Assembled and started on the virtual clock, which then jumps ahead to the limit.
                run = tester.run().toFuture();
                clock.advanceTimeBy(timeout);
            } finally {
                VirtualTimeScheduler.reset();
            }
            if (!run.isDone()) {
                run.cancel(true);
                throw new TimeoutException("the run did not complete within " + timeout.toSeconds()
                        + "s of virtual time (set timeout: on the case)");
            }
            try {
                return run.join();
            } catch (CompletionException e) {
                throw Exceptions.propagate(e.getCause());
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private String error(Throwable e) {
        if (e instanceof ConfigException config) {
            return "pipeline " + pipeline + " is invalid:\n" + config.problems().stream()
                    .map(Problem::toString).collect(Collectors.joining("\n"));
        }
        if (e instanceof TimeoutException) {
            return e.getMessage() != null && e.getMessage().startsWith("the run")
                    ? e.getMessage()
                    : "the run did not complete within " + timeout.toSeconds() + "s (set timeout: on the case)";
        }
        return "the run failed: " + e;
    }

    @Override
    public String toString() {
        return file + ": " + name;
    }
}
