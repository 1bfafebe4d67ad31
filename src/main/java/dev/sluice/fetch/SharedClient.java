package dev.sluice.fetch;

import dev.sluice.RunContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP clients and connection pools one run shares between its fetch stages with the same pool
 * settings, one per {@link Lane}; each stage derives its own variant (timeouts, headers) from a
 * lane's client.
 *
 * @param lanes one or more lanes, each pinned to its own event loop with its own pool
 * @param resolver the lanes' resolver: an {@link AddressGuard} where private addresses are refused,
 *     else a {@link LazyDns}
 */
record SharedClient(List<Lane> lanes, AddressResolverGroup<InetSocketAddress> resolver) {

    /**
     * A client bound to one event loop of Reactor Netty's shared loops, with a pool of its own.
     * Every connection of the lane lives on {@code loop}, and a fetch stage hands the lane its
     * items on that loop ({@code scheduler}), so a request is prepared, sent, timed, answered and
     * released without waking another thread. Lanes let a run use more than one core without the
     * cross-thread hand-offs of one pool over several loops.
     *
     * @param client the lane's base client, bound to {@code provider} and {@code loop}
     * @param provider the lane's pool: its share of the per-host connections
     * @param loop the event loop every connection of the lane lives on, or null (one lane, any loop)
     * @param scheduler runs work on {@code loop}, or null with it
     * @param connections the lane's share of the per-host limit: its pool's connections to one host
     */
    record Lane(HttpClient client, ConnectionProvider provider, EventLoop loop, Scheduler scheduler, int connections) {}

    /** The fewest requests in flight a lane is made for; fewer would not keep another event loop busy. */
    static final int LANE_CONNECTIONS = 8;

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
     * Returns the run's clients for these pool settings and this number of lanes, creating them on
     * first use; the pools are disposed when the run ends.
     *
     * <p>Each lane is one event loop of Reactor Netty's shared loops, as far as there are loops
     * enough (else there are fewer lanes); the per-host limit is split between the lanes, so all of
     * them together hold at most {@code perHost} connections to a host. Each pool's pending-acquire
     * queue is unbounded, so demand (already bounded by each stage's {@code flatMap} concurrency) can
     * never overflow it; a request waits at most {@code poolTimeout} for a connection, timed on the
     * event loop that asks ({@link LoopTimer}: nearly every acquire waits, briefly). With
     * {@link HostPolicy#blockPrivate()} the clients resolve through an {@link AddressGuard}, and
     * their pools are not shared with unguarded stages (a pooled connection is reused unresolved).
     *
     * @param run the run
     * @param options the options of the asking stage
     * @param lanes the lanes the stage asks for, at least 1
     * @return the shared clients
     */
    static SharedClient of(RunContext run, FetchOptions options, int lanes) {
        return run.shared(key(options, lanes), () -> create(options, lanes), SharedClient::dispose);
    }

    /**
     * Stages with the same pool settings and the same number of lanes share their pools, and so
     * their per-host limit; a stage on one lane does not share with a stage on two, whose pools each
     * hold half the connections.
     */
    static String key(FetchOptions options, int lanes) {
        return KEY + "/" + options.perHost() + "/" + options.poolTimeout().toMillis()
                + (options.hosts().blockPrivate() ? "/guarded" : "") + (lanes > 1 ? "/lanes" + lanes : "");
    }

    /**
     * How many of a part's units lane {@code lane} of {@code lanes} gets: an even split, the first
     * lanes taking one more of the remainder.
     */
    static int share(int total, int lane, int lanes) {
        return total / lanes + (lane < total % lanes ? 1 : 0);
    }

    private static SharedClient create(FetchOptions options, int wanted) {
        List<EventLoop> loops = laneLoops(wanted);
        AddressResolverGroup<InetSocketAddress> resolver =
                options.hosts().blockPrivate() ? AddressGuard.create() : new LazyDns();
        List<Lane> lanes = new ArrayList<>();
        if (loops.size() <= 1) {
            lanes.add(lane(options, options.perHost(), null, resolver));
        } else {
            for (int i = 0; i < loops.size(); i++) {
                lanes.add(lane(options, share(options.perHost(), i, loops.size()), loops.get(i), resolver));
            }
        }
        return new SharedClient(List.copyOf(lanes), resolver);
    }

    private static Lane lane(FetchOptions options, int connections, EventLoop loop,
            AddressResolverGroup<InetSocketAddress> resolver) {
        ConnectionProvider provider = ConnectionProvider.builder("sluice-fetch")
                .maxConnections(connections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(options.poolTimeout())
                .pendingAcquireTimer(LoopTimer::schedule)
                .maxIdleTime(MAX_IDLE_TIME)
                .maxLifeTime(MAX_LIFE_TIME)
                .evictInBackground(EVICTION_INTERVAL)
                .disposeInactivePoolsInBackground(EVICTION_INTERVAL, POOL_INACTIVITY)
                .build();
        HttpClient client = HttpClient.create(provider).disableRetry(true).compress(true).resolver(resolver)
                .doOnConnected(BodyChecks::install);
        if (loop != null) {
            client = client.runOn(loop);
        }
        return new Lane(client, provider, loop, loop == null ? null : Schedulers.fromExecutor(loop), connections);
    }

    /** Up to {@code wanted} distinct event loops of Reactor Netty's shared client loops. */
    private static List<EventLoop> laneLoops(int wanted) {
        List<EventLoop> loops = new ArrayList<>();
        if (wanted <= 1) {
            return loops;
        }
        EventLoopGroup group = HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE);
        for (EventExecutor executor : group) {
            if (loops.size() < wanted && executor instanceof EventLoop loop) {
                loops.add(loop);
            }
        }
        return loops;
    }

    private Mono<Void> dispose() {
        return Flux.fromIterable(lanes).flatMap(lane -> lane.provider().disposeLater())
                .then(Mono.fromRunnable(resolver::close));
    }
}
