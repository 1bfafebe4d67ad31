package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Tally;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/** Fetches the URL of each item for one run of one {@link Fetch} stage, retrying as configured. */
final class HttpFetcher {

    static final String STAGE = "fetch";

    private final FetchOptions options;
    private final RequestPlan plan;
    private final Exchange exchange;
    private final List<Lane> lanes;
    private final RetryLoop retries;
    private final StreamedItems streamed;

    private HttpFetcher(FetchOptions options, RequestPlan plan, List<Lane> lanes, RetryLoop retries,
            StreamedItems streamed) {
        this.options = options;
        this.plan = plan;
        this.exchange = lanes.get(0).exchange();
        this.lanes = lanes;
        this.retries = retries;
        this.streamed = streamed;
    }

    /**
     * Where one share of a stage's requests go: a {@link SharedClient.Lane} with the stage's options.
     *
     * @param exchange the attempts, over the lane's client
     * @param scheduler runs the lane's work on the event loop of its connections, or null for a stage
     *     of one lane
     * @param concurrency the lane's share of the stage's concurrency
     */
    private record Lane(Exchange exchange, Scheduler scheduler, int concurrency) {}

    /**
     * The reply to one request after retries.
     *
     * @param outcome how the last attempt ended: {@link Outcome.Success} or {@link Outcome.Failed}
     * @param attempts the attempts made
     * @param elapsed the time over all attempts and waits
     */
    record Reply(Outcome outcome, int attempts, Duration elapsed) {}

    /**
     * Creates the fetcher of one fetch stage for one run, on the run's shared clients, or on the
     * run's {@link InMemoryHttp} when it has one; the stage fetches on {@link #lanesUsed} lanes.
     *
     * @param run the run
     * @param options the stage's options
     * @param plan the stage's templates and enrichment
     * @return a new fetcher
     */
    static HttpFetcher forRun(RunContext run, FetchOptions options, RequestPlan plan) {
        return create(run, options, plan, lanesUsed(Runtime.getRuntime().availableProcessors(), options, plan));
    }

    /**
     * Creates the fetcher of a stage that sends its requests one by one through {@link #send}
     * (pagination): one lane, with all of the per-host connections.
     *
     * @param run the run
     * @param options the stage's options
     * @param plan the stage's templates
     * @return a new fetcher
     */
    static HttpFetcher forPages(RunContext run, FetchOptions options, RequestPlan plan) {
        return create(run, options, plan, 1);
    }

    private static HttpFetcher create(RunContext run, FetchOptions options, RequestPlan plan, int wanted) {
        InMemoryTransport inMemory = InMemoryTransport.forRun(run, options, plan.decoder() != null);
        Tally tally = run.tally();
        HostGate gate = new HostGate(options.rate(), options.globalRate());
        RetryLoop retries = RetryLoop.forFetch(options, tally, gate);
        List<Lane> lanes = new ArrayList<>();
        if (inMemory != null) {
            lanes.add(new Lane(new Exchange(null, options, tally, gate, run::rewrite, inMemory), null,
                    options.concurrency()));
        } else {
            List<SharedClient.Lane> shared = SharedClient.of(run, options, wanted).lanes();
            for (int i = 0; i < shared.size(); i++) {
                SharedClient.Lane lane = shared.get(i);
                lanes.add(new Lane(new Exchange(client(lane.client(), options), options, tally, gate, run::rewrite, null),
                        shared.size() == 1 ? null : lane.scheduler(), SharedClient.share(options.concurrency(), i, shared.size())));
            }
        }
        StreamedItems streamed = plan.decoder() == null ? null
                : new StreamedItems(new StreamingExchange(lanes.get(0).exchange(), options, tally, gate),
                        plan.decoder(), tally, retries);
        return new HttpFetcher(options, plan, List.copyOf(lanes), retries, streamed);
    }

    /**
     * How many lanes a fetch stage asks for, one per core at most. A lane pays for itself with at
     * least {@link SharedClient#LANE_CONNECTIONS} requests in flight. A stage may fetch on several
     * lanes only when its concurrency is within the per-host limit: each lane's share of the
     * concurrency is then within its share of every host's connections, so splitting the pool
     * between lanes never leaves a request waiting for a connection that another lane has free. A
     * streamed fetch keeps to one lane.
     *
     * @param cores the cores the run may use
     * @param options the stage's options
     * @param plan the stage's templates and decoder
     * @return the lanes, at least 1
     */
    static int lanesUsed(int cores, FetchOptions options, RequestPlan plan) {
        if (plan.decoder() != null || options.concurrency() > options.perHost()) {
            return 1;
        }
        return Math.max(1, Math.min(cores, options.concurrency() / SharedClient.LANE_CONNECTIONS));
    }

    /** The stage's variant of a lane's shared client. */
    private static HttpClient client(HttpClient shared, FetchOptions options) {
        return shared
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(options.connectTimeout()))
                .doOnRequest(Timing::onRequest);
    }

    /**
     * Fetches every good item, at most {@code concurrency} at a time, in completion order. With
     * more than one lane ({@link #lanesUsed}) the items are dealt to the lanes as each asks for more;
     * each lane takes its items on its own event loop and fetches them there, at most its share of
     * the concurrency at a time. Each lane queues up to its share ahead, and the deal up to
     * {@code concurrency}; one result per lane waits for downstream demand beyond the requests in
     * flight.
     *
     * @param items the items
     * @return fetched and failed items
     */
    Flux<Item> fetchAll(Flux<Item> items) {
        if (streamed != null) {
            return items.flatMap(this::streamOne, options.concurrency());
        }
        if (lanes.size() == 1) {
            return items.flatMap(item -> fetchOne(item, exchange), options.concurrency());
        }
        return items.parallel(lanes.size(), options.concurrency()).groups().flatMap(share -> {
            Lane lane = lanes.get(share.key());
            return share.publishOn(lane.scheduler(), lane.concurrency())
                    .flatMap(item -> fetchOne(item, lane.exchange()), lane.concurrency());
        }, lanes.size(), 1);
    }

    /**
     * Sends one request on the first lane, with the stage's retries, rate limits, redirects and size
     * limit; the returned publisher does not error. Nothing is sent until subscription.
     *
     * @param request the request
     * @return the reply
     */
    Mono<Reply> send(Request request) {
        return send(request, exchange);
    }

    private Mono<Reply> send(Request request, Exchange exchange) {
        return Mono.defer(() -> {
            long start = now();
            return retries.run(attempt -> exchange.attempt(request))
                    .map(result -> new Reply(result.outcome(), result.attempts(), Duration.ofMillis(now() - start)));
        });
    }

    /**
     * Returns the options.
     *
     * @return the options
     */
    FetchOptions options() {
        return options;
    }

    private Mono<Item> fetchOne(Item item, Exchange exchange) {
        if (item.isFailure()) {
            return Mono.just(item);
        }
        ItemRequests.Prepared prepared = ItemRequests.prepare(item, options, plan, STAGE);
        if (prepared instanceof ItemRequests.Prepared.Refused refused) {
            return Mono.just(refused.item());
        }
        Request request = ((ItemRequests.Prepared.Ready) prepared).request();
        return send(request, exchange).map(reply -> ItemReplies.toItem(item, reply, plan));
    }

    private Flux<Item> streamOne(Item item) {
        if (item.isFailure()) {
            return Flux.just(item);
        }
        ItemRequests.Prepared prepared = ItemRequests.prepare(item, options, plan, STAGE);
        if (prepared instanceof ItemRequests.Prepared.Refused refused) {
            return Flux.just(refused.item());
        }
        return streamed.items(item, ((ItemRequests.Prepared.Ready) prepared).request());
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
