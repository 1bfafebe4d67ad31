package dev.sluice.fetch;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Tally;
import io.netty.channel.ChannelOption;
import java.net.URI;
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
    private final Exchange exchange;
    private final RetryLoop retries;

    private HttpFetcher(FetchOptions options, Exchange exchange, RetryLoop retries) {
        this.options = options;
        this.exchange = exchange;
        this.retries = retries;
    }

    /**
     * Creates the fetcher of one stage for one run, on the run's shared client.
     *
     * @param run the run
     * @param options the stage's options
     * @return a new fetcher
     */
    static HttpFetcher forRun(RunContext run, FetchOptions options) {
        HttpClient client = SharedClient.of(run, options).client()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(options.connectTimeout()))
                .responseTimeout(options.responseTimeout())
                .doOnRequest(Timing::onRequest);
        Tally tally = run.tally();
        HostGate gate = new HostGate(options.rate(), options.globalRate());
        RetryOptions retry = options.retry();
        RetryLoop retries = new RetryLoop(retry.attempts(),
                options.method().isIdempotent() || retry.retryNonIdempotent(),
                new RetrySchedule(retry),
                (failed, wait) -> beforeRetry(tally, gate, failed, wait));
        return new HttpFetcher(options, new Exchange(client, options, tally, gate), retries);
    }

    /**
     * Fetches every good item, at most {@code concurrency} at a time, in completion order.
     *
     * @param items the items
     * @return fetched and failed items
     */
    Flux<Item> fetchAll(Flux<Item> items) {
        return items.flatMap(this::fetchOne, options.concurrency());
    }

    private Mono<Item> fetchOne(Item item) {
        if (item.isFailure()) {
            return Mono.just(item);
        }
        FetchTarget target = FetchTarget.of(item.value());
        if (target instanceof FetchTarget.Invalid invalid) {
            return Mono.just(item.fail(STAGE, Reason.INVALID_URL, invalid.message(), 0, 0, invalid.text()));
        }
        FetchTarget.Url url = (FetchTarget.Url) target;
        String body;
        try {
            body = options.body().isEmpty() ? null : BodyTemplate.render(options.body(), item.value());
        } catch (IllegalArgumentException e) {
            String message = options.method() + " " + url.text() + " not sent: " + e.getMessage();
            return Mono.just(item.fail(STAGE, Reason.INVALID_URL, message, 0, 0, url.text()));
        }
        Request request = Request.first(options.method(), url, body);
        return Mono.defer(() -> fetch(item, request));
    }

    private Mono<Item> fetch(Item item, Request request) {
        long start = now();
        return retries.run(attempt -> exchange.attempt(request))
                .map(result -> toItem(item, result, Duration.ofMillis(now() - start)));
    }

    private static Item toItem(Item item, RetryLoop.Result result, Duration elapsed) {
        if (result.outcome() instanceof Outcome.Success ok) {
            Metadata metadata = item.metadata().withFetch(ok.url(), ok.status(), ok.headers(), result.attempts(), elapsed);
            return item.withValue(TextNode.valueOf(ok.body())).withMetadata(metadata);
        }
        Outcome.Failed failed = (Outcome.Failed) result.outcome();
        return item.fail(STAGE, failed.reason(), failed.message(), failed.status(), result.attempts(), failed.url());
    }

    /** Counts the retry, and holds the host back when it said it is overloaded (429, or any Retry-After). */
    private static void beforeRetry(Tally tally, HostGate gate, Outcome.Failed failed, Duration wait) {
        tally.retry();
        if (failed.status() == 429 || failed.retryAfter() != null) {
            gate.pause(Request.hostKey(URI.create(failed.url())), wait);
        }
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
