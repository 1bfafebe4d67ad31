package dev.sluice.testkit;

import dev.sluice.fetch.InMemoryHttp;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The network of one in-memory run of a {@link PipelineTester}: each request goes to the
 * {@link StubServer} its host is mapped to, which answers from its routes without a socket and logs
 * the request with its arrival in the run's Reactor time (virtual under
 * {@code StepVerifier.withVirtualTime}), counted from the run's start. A host mapped to no stub
 * refuses the connection, so an in-memory run never leaves the process.
 */
final class InMemoryStubs implements InMemoryHttp {

    private final Map<String, StubServer> hosts;
    private final StubServer everyHost;
    private final long startNanos = now();

    InMemoryStubs(Map<String, StubServer> hosts, StubServer everyHost) {
        this.hosts = hosts;
        this.everyHost = everyHost;
    }

    @Override
    public Mono<Response> respond(Request request) {
        String host = request.url().getHost() == null ? "" : request.url().getHost().toLowerCase(Locale.ROOT);
        StubServer stub = hosts.getOrDefault(host, everyHost);
        if (stub == null) {
            return InMemoryHttp.refused("no stub is mapped to host " + host + " (PipelineTester.mapHost or mapAllHosts)");
        }
        return stub.answer(request, Duration.ofNanos(now() - startNanos));
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "the stubs of a PipelineTester";
    }
}
