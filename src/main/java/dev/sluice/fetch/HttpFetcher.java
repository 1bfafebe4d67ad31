package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Tally;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/** Fetches the URL of each item for one run of one {@link Fetch} stage, retrying as configured. */
final class HttpFetcher {

    static final String STAGE = "fetch";

    private final FetchOptions options;
    private final RequestPlan plan;
    private final Exchange exchange;
    private final RetryLoop retries;
    private final StreamedItems streamed;

    private HttpFetcher(FetchOptions options, RequestPlan plan, Exchange exchange, RetryLoop retries,
            StreamedItems streamed) {
        this.options = options;
        this.plan = plan;
        this.exchange = exchange;
        this.retries = retries;
        this.streamed = streamed;
    }

    /**
     * The reply to one request after retries.
     *
     * @param outcome how the last attempt ended: {@link Outcome.Success} or {@link Outcome.Failed}
     * @param attempts the attempts made
     * @param elapsed the time over all attempts and waits
     */
    record Reply(Outcome outcome, int attempts, Duration elapsed) {}

    /**
     * Creates the fetcher of one stage for one run, on the run's shared client, or on the run's
     * {@link InMemoryHttp} when it has one.
     *
     * @param run the run
     * @param options the stage's options
     * @param plan the stage's templates and enrichment
     * @return a new fetcher
     */
    static HttpFetcher forRun(RunContext run, FetchOptions options, RequestPlan plan) {
        InMemoryTransport inMemory = InMemoryTransport.forRun(run, options, plan.decoder() != null);
        HttpClient client = inMemory != null ? null : client(run, options);
        Tally tally = run.tally();
        HostGate gate = new HostGate(options.rate(), options.globalRate());
        RetryLoop retries = RetryLoop.forFetch(options, tally, gate);
        Exchange exchange = new Exchange(client, options, tally, gate, run::rewrite, inMemory);
        StreamedItems streamed = plan.decoder() == null ? null
                : new StreamedItems(new StreamingExchange(exchange, options, tally, gate), plan.decoder(), tally);
        return new HttpFetcher(options, plan, exchange, retries, streamed);
    }

    /** The stage's variant of the run's shared client; not created when the run answers in memory. */
    private static HttpClient client(RunContext run, FetchOptions options) {
        return SharedClient.of(run, options).client()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(options.connectTimeout()))
                .responseTimeout(options.responseTimeout())
                .doOnRequest(Timing::onRequest);
    }

    /**
     * Fetches every good item, at most {@code concurrency} at a time, in completion order.
     *
     * @param items the items
     * @return fetched and failed items
     */
    Flux<Item> fetchAll(Flux<Item> items) {
        return streamed != null
                ? items.flatMap(this::streamOne, options.concurrency())
                : items.flatMap(this::fetchOne, options.concurrency());
    }

    /**
     * Sends one request, with the stage's retries, rate limits, redirects and size limit; the
     * returned publisher does not error. Nothing is sent until subscription.
     *
     * @param request the request
     * @return the reply
     */
    Mono<Reply> send(Request request) {
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

    private Mono<Item> fetchOne(Item item) {
        if (item.isFailure()) {
            return Mono.just(item);
        }
        ItemRequests.Prepared prepared = ItemRequests.prepare(item, options, plan, STAGE);
        if (prepared instanceof ItemRequests.Prepared.Refused refused) {
            return Mono.just(refused.item());
        }
        Request request = ((ItemRequests.Prepared.Ready) prepared).request();
        return send(request).map(reply -> ItemReplies.toItem(item, reply, plan));
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
