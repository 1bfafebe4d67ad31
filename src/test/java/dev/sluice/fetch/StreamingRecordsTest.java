package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.RunReport;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import dev.sluice.fetch.FaultyServer.Gated;
import dev.sluice.fetch.FaultyServer.Reset;
import dev.sluice.fetch.FaultyServer.ResetAfter;
import dev.sluice.fetch.FaultyServer.Respond;
import dev.sluice.parse.CsvOptions;
import dev.sluice.parse.LineOptions;
import dev.sluice.parse.Parse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A fetch that reads NDJSON, CSV or text lines while the body streams in, and retries until its first item. */
class StreamingRecordsTest {

    @RegisterExtension
    static final FaultyServer server = FaultyServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final BodyDecoder NDJSON = BodyDecoder.ofItems((chunks, item) -> Parse.ndjson(chunks, item, LineOptions.DEFAULTS));
    private static final RetryOptions QUICK = RetryOptions.DEFAULTS.withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

    private static Item item(String url) {
        return Item.of(TextNode.valueOf(url), Origin.of("feeds", 2));
    }

    private static Sink collect(Queue<Item> into) {
        return items -> items.doOnNext(into::add).count().map(SinkReport::new);
    }

    /** Runs one input through {@code fetch} and returns its report; outputs and dead letters land in the queues. */
    private static RunReport run(Fetch fetch, String path, Queue<Item> out, Queue<Item> dead) {
        List<RunReport> reports = new java.util.ArrayList<>();
        StepVerifier.create(Pipeline.from(() -> Flux.just(item(server.url(path)))).then(fetch)
                        .to(collect(out)).deadLetterTo(collect(dead)).run())
                .consumeNextWith(reports::add)
                .expectComplete()
                .verify(WAIT);
        return reports.get(0);
    }

    @Test
    void firstNdjsonRecordArrivesBeforeTheServerFinishesSending() {
        Sinks.Empty<Void> latch = Sinks.empty();
        server.route("/feed", new Gated("{\"n\":1}\n{\"n\":2}\n{\"n\"", latch.asMono(), ":3}\n"));

        StepVerifier.create(Fetch.get().decodeWith(NDJSON).apply(Flux.just(item(server.url("/feed")))))
                .assertNext(first -> {
                    assertThat(first.value().path("n").intValue()).isEqualTo(1);
                    assertThat(first.origin()).isEqualTo(Origin.of("feeds", 2));
                    assertThat(first.metadata().url()).isEqualTo(server.url("/feed"));
                    assertThat(first.metadata().status()).isEqualTo(200);
                    latch.tryEmitEmpty();
                })
                .assertNext(second -> assertThat(second.value().path("n").intValue()).isEqualTo(2))
                .assertNext(third -> assertThat(third.value().path("n").intValue()).isEqualTo(3))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aMalformedNdjsonLineDeadLettersAloneAndTheRunBalances() {
        server.route("/mixed", new Respond(200, "{\"n\":1}\n{\"n\":\n{\"n\":3}\n"));
        Queue<Item> out = new ConcurrentLinkedQueue<>();
        Queue<Item> dead = new ConcurrentLinkedQueue<>();

        RunReport report = run(Fetch.get().decodeWith(NDJSON), "/mixed", out, dead);

        assertThat(out).extracting(i -> i.value().path("n").intValue()).containsExactly(1, 3);
        assertThat(dead).singleElement().satisfies(i -> {
            assertThat(i.value()).isEqualTo(TextNode.valueOf("{\"n\":"));
            assertThat(i.failure().orElseThrow().reason()).isEqualTo(Reason.PARSE);
            assertThat(i.failure().orElseThrow().message())
                    .startsWith("invalid JSON in " + server.url("/mixed") + " at line 2, column ");
            assertThat(i.failure().orElseThrow().status()).isEqualTo(200);
        });
        assertThat(report.expanded()).isEqualTo(2);
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
    }

    @Test
    void csvRowsAndTextLinesStreamToo() {
        server.route("/rows.csv", new Respond(200, "id,city\r\n1,Oslo\r\n2\r\n3,\"Rio\nde Janeiro\"\r\n"));
        server.route("/log.txt", new Respond(200, "GET /a\r\n\r\nGET /b\r\n"));
        BodyDecoder csv = BodyDecoder.ofItems((chunks, item) -> Parse.csv(chunks, item, CsvOptions.DEFAULTS, LineOptions.DEFAULTS));
        BodyDecoder lines = BodyDecoder.ofItems((chunks, item) -> Parse.lines(chunks, item, LineOptions.DEFAULTS));

        StepVerifier.create(Fetch.get().decodeWith(csv).apply(Flux.just(item(server.url("/rows.csv")))))
                .assertNext(row -> assertThat(row.value().path("city").textValue()).isEqualTo("Oslo"))
                .assertNext(bad -> assertThat(bad.failure().orElseThrow().message()).isEqualTo("invalid CSV in "
                        + server.url("/rows.csv") + " at line 3: the row has 1 fields, the header has 2"))
                .assertNext(row -> assertThat(row.value().path("city").textValue()).isEqualTo("Rio\nde Janeiro"))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(Fetch.get().decodeWith(lines).apply(Flux.just(item(server.url("/log.txt"))))
                        .map(i -> i.value().textValue()))
                .expectNext("GET /a", "", "GET /b")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aStreamedFetchIsRetriedWhileNoItemHasLeft() {
        server.script("/flaky", new Respond(503, "busy"), new Reset());
        server.route("/flaky", new Respond(200, "{\"n\":1}\n{\"n\":2}\n"));
        Queue<Item> out = new ConcurrentLinkedQueue<>();
        Queue<Item> dead = new ConcurrentLinkedQueue<>();

        RunReport report = run(Fetch.get().retry(QUICK.withAttempts(3)).decodeWith(NDJSON), "/flaky", out, dead);

        assertThat(out).extracting(i -> i.metadata().attempts()).containsExactly(3, 3);
        assertThat(dead).isEmpty();
        assertThat(report.requests()).isEqualTo(3);
        assertThat(report.retries()).isEqualTo(2);
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
    }

    @Test
    void aStreamedFetchOutOfAttemptsFailsWithTheLastFailure() {
        server.route("/down", new Respond(503, "busy"));
        Queue<Item> out = new ConcurrentLinkedQueue<>();
        Queue<Item> dead = new ConcurrentLinkedQueue<>();

        RunReport report = run(Fetch.get().retry(QUICK.withAttempts(2)).decodeWith(NDJSON), "/down", out, dead);

        assertThat(dead).singleElement().satisfies(i -> {
            assertThat(i.failure().orElseThrow().reason()).isEqualTo(Reason.HTTP_STATUS);
            assertThat(i.failure().orElseThrow().attempts()).isEqualTo(2);
            assertThat(i.failure().orElseThrow().message())
                    .isEqualTo("GET " + server.url("/down") + " returned 503 Service Unavailable");
        });
        assertThat(server.paths()).containsExactly("/down", "/down");
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
    }

    @Test
    void aStreamedFetchThatBreaksAfterItsFirstItemsIsNotRetriedAndSaysHowFarItGot() {
        server.route("/cut", new ResetAfter("{\"n\":1}\n{\"n\":2}\n{\"n\""));
        Queue<Item> out = new ConcurrentLinkedQueue<>();
        Queue<Item> dead = new ConcurrentLinkedQueue<>();

        RunReport report = run(Fetch.get().retry(QUICK.withAttempts(3)).decodeWith(NDJSON), "/cut", out, dead);

        assertThat(out).extracting(i -> i.value().path("n").intValue()).containsExactly(1, 2);
        assertThat(dead).singleElement().satisfies(i -> {
            assertThat(i.origin()).isEqualTo(Origin.of("feeds", 2));
            assertThat(i.failure().orElseThrow().reason()).isEqualTo(Reason.RESET);
            assertThat(i.failure().orElseThrow().message())
                    .startsWith("failed after 2 items: GET " + server.url("/cut") + " failed: ");
        });
        assertThat(server.paths()).containsExactly("/cut");
        assertThat(report.inputs() + report.expanded()).isEqualTo(3);
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
    }

    @Test
    void aStreamedBodyThatStallsAfterItsFirstItemsHitsTheResponseTimeout() {
        Sinks.Empty<Void> never = Sinks.empty();
        server.route("/quiet", new Gated("{\"n\":1}\n{\"n\":2}\n", never.asMono(), "{\"n\":3}\n"));
        Queue<Item> out = new ConcurrentLinkedQueue<>();
        Queue<Item> dead = new ConcurrentLinkedQueue<>();

        RunReport report = run(Fetch.get().retry(QUICK.withAttempts(3)).responseTimeout(Duration.ofMillis(200))
                .decodeWith(NDJSON), "/quiet", out, dead);
        never.tryEmitEmpty();

        assertThat(out).extracting(i -> i.value().path("n").intValue()).containsExactly(1, 2);
        assertThat(dead).singleElement().satisfies(i -> {
            assertThat(i.failure().orElseThrow().reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(i.failure().orElseThrow().message()).isEqualTo("failed after 2 items: GET "
                    + server.url("/quiet") + " failed: timed out (no response data within 200ms)");
        });
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
    }

    @Test
    void aStreamedBodyStillArrivingOutlastsTheResponseTimeout() {
        // 8 lines 60 ms apart: about half a second in all, while the response timeout is 200 ms
        Queue<Item> out = new ConcurrentLinkedQueue<>();
        Queue<Item> dead = new ConcurrentLinkedQueue<>();
        server.route("/drip", new FaultyServer.Lines(Duration.ofMillis(60), 8));

        RunReport report = run(Fetch.get().retry(RetryOptions.NONE).responseTimeout(Duration.ofMillis(200))
                .decodeWith(NDJSON), "/drip", out, dead);

        assertThat(dead).isEmpty();
        assertThat(out).extracting(i -> i.value().path("n").intValue()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
    }

    @Test
    void aStreamedFetchCancelledBeforeItsFirstItemCountsItsInputAsFiltered() {
        Sinks.Empty<Void> never = Sinks.empty();
        server.route("/stalled", new Gated("", never.asMono(), "{\"n\":9}\n"));
        RunContext context = new RunContext();

        StepVerifier.create(Fetch.get().decodeWith(NDJSON).apply(Flux.just(item(server.url("/stalled"))))
                        .contextWrite(context::putInto), 0)
                .expectSubscription()
                .thenCancel()
                .verify(WAIT);
        never.tryEmitEmpty();

        RunReport report = context.tally().report(0);
        assertThat(report.filtered()).as(report.toJson().toString()).isEqualTo(1);
        assertThat(report.expanded()).isZero();
    }
}
