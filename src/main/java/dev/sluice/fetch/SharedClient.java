package dev.sluice.fetch;

import dev.sluice.RunContext;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP client and connection pool one run shares between its fetch stages with the same pool
 * settings; each stage derives its own variant (timeouts, headers) from {@link #client()}.
 *
 * @param client the base client, bound to {@code provider}
 * @param provider the run's own connection pool
 * @param guard the resolver refusing private addresses, or null when they are allowed
 */
record SharedClient(HttpClient client, ConnectionProvider provider, AddressGuard guard) {

    /** The prefix of the keys of the run's shared clients in {@link RunContext#shared}. */
    static final String KEY = "fetch.http";

    /** Below the 60 s and more that servers and load balancers commonly keep idle connections. */
    static final Duration MAX_IDLE_TIME = Duration.ofSeconds(20);

    /** Connections are replaced after this long, so DNS changes are picked up. */
    static final Duration MAX_LIFE_TIME = Duration.ofMinutes(5);

    /** How often idle and expired connections are evicted, and empty per-host pools looked for. */
    static final Duration EVICTION_INTERVAL = Duration.ofSeconds(30);

    /** A per-host pool without connections for this long is disposed (crawls touch many hosts). */
    static final Duration POOL_INACTIVITY = Duration.ofSeconds(60);

    /**
     * Returns the run's client for these pool settings, creating it on first use; the pool is
     * disposed when the run ends.
     *
     * <p>The pool allows {@code perHost} connections per host. Its pending-acquire queue is
     * unbounded, so demand (already bounded by each stage's {@code flatMap} concurrency) can never
     * overflow it; a request waits at most {@code poolTimeout} for a connection, timed on the event loop
     * that asks ({@link LoopTimer}: nearly every acquire waits, briefly). With
     * {@link HostPolicy#blockPrivate()} the client resolves through an {@link AddressGuard}, and
     * its pool is not shared with unguarded stages (a pooled connection is reused unresolved).
     *
     * @param run the run
     * @param options the options of the asking stage
     * @return the shared client
     */
    static SharedClient of(RunContext run, FetchOptions options) {
        return run.shared(key(options), () -> create(options), SharedClient::dispose);
    }

    /** Stages with the same pool settings share a pool. */
    static String key(FetchOptions options) {
        return KEY + "/" + options.perHost() + "/" + options.poolTimeout().toMillis()
                + (options.hosts().blockPrivate() ? "/guarded" : "");
    }

    private static SharedClient create(FetchOptions options) {
        ConnectionProvider provider = ConnectionProvider.builder("sluice-fetch")
                .maxConnections(options.perHost())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(options.poolTimeout())
                .pendingAcquireTimer(LoopTimer::schedule)
                .maxIdleTime(MAX_IDLE_TIME)
                .maxLifeTime(MAX_LIFE_TIME)
                .evictInBackground(EVICTION_INTERVAL)
                .disposeInactivePoolsInBackground(EVICTION_INTERVAL, POOL_INACTIVITY)
                .build();
        HttpClient client = HttpClient.create(provider).disableRetry(true).compress(true);
        AddressGuard guard = options.hosts().blockPrivate() ? AddressGuard.create() : null;
        return new SharedClient(guard == null ? client : client.resolver(guard), provider, guard);
    }

    private Mono<Void> dispose() {
        return provider.disposeLater().then(Mono.fromRunnable(() -> {
            if (guard != null) {
                guard.close();
            }
        }));
    }
}
