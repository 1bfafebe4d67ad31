package dev.sluice.fetch;

import dev.sluice.RunContext;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP client and connection pool one run shares between its fetch stages; each stage derives
 * its own variant (timeouts, headers) from {@link #client()}.
 *
 * @param client the base client, bound to {@code provider}
 * @param provider the run's own connection pool
 */
record SharedClient(HttpClient client, ConnectionProvider provider) {

    /** The key of the run's shared client in {@link RunContext#shared}. */
    static final String KEY = "fetch.http";

    /** Connections allowed per host at least, whatever the concurrency. */
    static final int MIN_CONNECTIONS_PER_HOST = 64;

    /** Below the 60 s and more that servers and load balancers commonly keep idle connections. */
    static final Duration MAX_IDLE_TIME = Duration.ofSeconds(20);

    /** The shortest wait for a pooled connection, whatever the request timeout. */
    static final Duration MIN_PENDING_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Returns the run's client, creating it on first use; the pool is disposed when the run ends.
     *
     * <p>The first stage of a run to ask sizes the pool. Its pending-acquire queue is unbounded, so
     * demand (already bounded by each stage's {@code flatMap} concurrency) can never overflow it: at
     * worst a request waits for a connection, and that wait counts against its deadline.
     *
     * @param run the run
     * @param options the options of the asking stage
     * @return the shared client
     */
    static SharedClient of(RunContext run, FetchOptions options) {
        return run.shared(KEY, () -> create(options), SharedClient::dispose);
    }

    private static SharedClient create(FetchOptions options) {
        ConnectionProvider provider = ConnectionProvider.builder("sluice-fetch")
                .maxConnections(Math.max(options.concurrency(), MIN_CONNECTIONS_PER_HOST))
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(max(options.timeout(), MIN_PENDING_ACQUIRE_TIMEOUT))
                .maxIdleTime(MAX_IDLE_TIME)
                .build();
        HttpClient client = HttpClient.create(provider).disableRetry(true).compress(true);
        return new SharedClient(client, provider);
    }

    private Mono<Void> dispose() {
        return provider.disposeLater();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
