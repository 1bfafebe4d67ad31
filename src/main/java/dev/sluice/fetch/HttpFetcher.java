package dev.sluice.fetch;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Tally;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/** GETs the URL of each item for one run of one {@link Fetch} stage. */
final class HttpFetcher {

    static final String STAGE = "fetch";

    /** Response headers kept in an item's metadata, lower case; repeated headers are joined with ", ". */
    static final List<String> KEPT_HEADERS = List.of("content-type", "content-length", "etag", "last-modified", "link");

    private static final byte[] NO_BYTES = new byte[0];

    private final FetchOptions options;
    private final HttpClient client;
    private final Tally tally;

    private HttpFetcher(FetchOptions options, HttpClient client, Tally tally) {
        this.options = options;
        this.client = client;
        this.tally = tally;
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
                .responseTimeout(options.timeout())
                .headers(headers -> options.headers().forEach(headers::set));
        return new HttpFetcher(options, client, run.tally());
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
        if (target instanceof FetchTarget.Url url) {
            return Mono.defer(() -> attempt(item, url)).onErrorResume(e -> Mono.just(failed(item, url, e)));
        }
        FetchTarget.Invalid invalid = (FetchTarget.Invalid) target;
        return Mono.just(item.fail(STAGE, Reason.INVALID_URL, invalid.message(), 0, 0, invalid.text()));
    }

    private Mono<Item> attempt(Item item, FetchTarget.Url url) {
        long start = now();
        tally.request();
        return client.get()
                .uri(url.uri())
                .responseSingle(this::read)
                .timeout(options.timeout(), Mono.error(this::deadlineExceeded))
                .map(reply -> fetched(item, url, reply, Duration.ofMillis(now() - start)));
    }

    private Mono<Reply> read(HttpClientResponse response, ByteBufMono body) {
        HttpResponseStatus status = response.status();
        Map<String, String> headers = new HashMap<>();
        for (String name : KEPT_HEADERS) {
            List<String> values = response.responseHeaders().getAll(name);
            if (!values.isEmpty()) {
                headers.put(name, String.join(", ", values));
            }
        }
        return body.asByteArray().defaultIfEmpty(NO_BYTES).map(bytes -> received(status, headers, bytes));
    }

    private Reply received(HttpResponseStatus status, Map<String, String> headers, byte[] bytes) {
        tally.bytesIn(bytes.length);
        return new Reply(status, headers, new String(bytes, StandardCharsets.UTF_8));
    }

    private static Item fetched(Item item, FetchTarget.Url url, Reply reply, Duration elapsed) {
        int code = reply.status().code();
        if (code >= 400) {
            String message = ("GET " + url.text() + " returned " + code + " " + reply.status().reasonPhrase()).strip();
            return item.fail(STAGE, Reason.HTTP_STATUS, message, code, 1, url.text());
        }
        Metadata metadata = item.metadata().withFetch(url.text(), code, reply.headers(), 1, elapsed);
        return item.withValue(TextNode.valueOf(reply.body())).withMetadata(metadata);
    }

    private static Item failed(Item item, FetchTarget.Url url, Throwable error) {
        TransportError kind = TransportError.classify(error);
        String message = "GET " + url.text() + " failed: " + kind.what() + " (" + TransportError.detail(error) + ")";
        return item.fail(STAGE, kind.reason(), message, 0, 1, url.text());
    }

    private TimeoutException deadlineExceeded() {
        return new TimeoutException("no complete response within " + format(options.timeout()));
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static String format(Duration duration) {
        long ms = duration.toMillis();
        return ms > 0 && ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A response read in full: status, kept headers and the body decoded as UTF-8. */
    private record Reply(HttpResponseStatus status, Map<String, String> headers, String body) {}
}
