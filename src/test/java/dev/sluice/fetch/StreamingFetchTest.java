package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import dev.sluice.Source;
import dev.sluice.fetch.FaultyServer.Gated;
import dev.sluice.fetch.FaultyServer.Respond;
import dev.sluice.parse.Parse;
import dev.sluice.parse.SplitOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A fetch with a body decoder: values flow while the body streams in. */
class StreamingFetchTest {

    @RegisterExtension
    static final FaultyServer server = FaultyServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Sink COUNTING_SINK = items -> items.count().map(SinkReport::new);
    private static final BodyDecoder ITEMS = (chunks, url) -> Parse.elements(chunks, "/items", SplitOptions.DEFAULTS, url);

    private static Item item(String url) {
        return Item.of(TextNode.valueOf(url), Origin.of("test", 3));
    }

    @Test
    void firstValueArrivesBeforeTheServerFinishesSending() {
        Sinks.Empty<Void> latch = Sinks.empty();
        server.route("/big", new Gated("{\"items\":[1,2,", latch.asMono(), "3]}"));
        Fetch fetch = Fetch.get().decodeWith(ITEMS);

        StepVerifier.create(fetch.apply(Flux.just(item(server.url("/big")))))
                .assertNext(first -> {
                    assertThat(first.value()).isEqualTo(IntNode.valueOf(1));
                    assertThat(first.origin()).isEqualTo(Origin.of("test", 3));
                    assertThat(first.metadata().status()).isEqualTo(200);
                    assertThat(first.metadata().url()).isEqualTo(server.url("/big"));
                    latch.tryEmitEmpty();
                })
                .assertNext(second -> assertThat(second.value()).isEqualTo(IntNode.valueOf(2)))
                .assertNext(third -> assertThat(third.value()).isEqualTo(IntNode.valueOf(3)))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aCorruptGzipBodyFailsItsItemAndGivesTheConnectionBack() {
        byte[] garbage = "\u001f\u008b\u0008\u0000garbagegarbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        server.route("/bad.gz", new FaultyServer.Gzip(garbage)).route("/ok", new Respond(200, "{\"items\":[7]}"));
        Fetch oneConnection = Fetch.get().decodeWith(ITEMS).perHost(1).concurrency(1)
                .retry(RetryOptions.DEFAULTS.withAttempts(1));

        StepVerifier.create(oneConnection.apply(Flux.just(item(server.url("/bad.gz")), item(server.url("/ok")))))
                .assertNext(failed -> assertThat(failed.failure()).hasValueSatisfying(f ->
                        assertThat(f.message()).contains("/bad.gz")))
                .assertNext(ok -> assertThat(ok.value()).isEqualTo(IntNode.valueOf(7)))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void malformedBodyEndsWithAParseFailureAfterTheGoodValues() {
        server.route("/bad", new Respond(200, "{\"items\":[1,{]}"));

        StepVerifier.create(Fetch.get().decodeWith(ITEMS).apply(Flux.just(item(server.url("/bad")))))
                .assertNext(first -> assertThat(first.value()).isEqualTo(IntNode.valueOf(1)))
                .assertNext(failed -> assertThat(failed.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.PARSE);
                    assertThat(f.stage()).isEqualTo("fetch");
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void errorStatusAndOversizedBodyFailTheItem() {
        server.route("/gone", new Respond(410, "gone"));
        server.route("/huge", new FaultyServer.Huge(64));
        Fetch fetch = Fetch.get().maxBody(10_000).decodeWith(ITEMS);

        StepVerifier.create(fetch.apply(Flux.just(item(server.url("/gone")))))
                .assertNext(failed -> assertThat(failed.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(f.message()).isEqualTo("GET " + server.url("/gone") + " returned 410 Gone");
                }))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(fetch.apply(Flux.just(item(server.url("/huge")))))
                .assertNext(failed -> assertThat(failed.failure()).get()
                        .satisfies(f -> assertThat(f.reason()).isIn(Reason.TOO_LARGE, Reason.PARSE)))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void streamedRunBalances() {
        server.route("/three", new Respond(200, "{\"items\":[1,2,3]}"));
        server.route("/none", new Respond(200, "{\"items\":[]}"));
        server.route("/one-then-bad", new Respond(200, "{\"items\":[1,x]}"));
        Source source = () -> Flux.just(item(server.url("/three")), item(server.url("/none")),
                item(server.url("/one-then-bad")));
        Pipeline pipeline = Pipeline.from(source).then(Fetch.get().decodeWith(ITEMS))
                .to(COUNTING_SINK).deadLetterTo(COUNTING_SINK);

        StepVerifier.create(pipeline.run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(4);
                    assertThat(report.filtered()).isEqualTo(1);
                    assertThat(report.deadLettered()).isEqualTo(1);
                    assertThat(report.inputs() + report.expanded())
                            .isEqualTo(report.outputs() + report.filtered() + report.deadLettered());
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void decodeWithAndIntoExcludeEachOther() {
        assertThatThrownBy(() -> Fetch.get().into(".a").decodeWith(ITEMS))
                .hasMessage("decodeWith emits the decoded values as items; into does not apply");
        assertThatThrownBy(() -> Fetch.get().decodeWith(ITEMS).into(".a"))
                .hasMessage("decodeWith emits the decoded values as items; into does not apply");
    }

    @Test
    void aStreamedFetchFollowsRedirectsAndReportsTheFinalUrl() {
        server.route("/moved", new Respond(302, java.util.Map.of("location", "/elsewhere"), "see elsewhere"));
        server.route("/elsewhere", new Respond(301, java.util.Map.of("location", server.url("/list")), ""));
        server.route("/list", new Respond(200, "{\"items\":[1,2]}"));

        StepVerifier.create(Fetch.get().decodeWith(ITEMS).apply(Flux.just(item(server.url("/moved")))))
                .assertNext(first -> {
                    assertThat(first.value()).isEqualTo(IntNode.valueOf(1));
                    assertThat(first.metadata().url()).isEqualTo(server.url("/list"));
                    assertThat(first.metadata().status()).isEqualTo(200);
                })
                .assertNext(second -> assertThat(second.value()).isEqualTo(IntNode.valueOf(2)))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aStreamedFetchDeadLettersARedirectLoopAndAChainTooLong() {
        server.route("/ping", new Respond(302, java.util.Map.of("location", "/pong"), ""));
        server.route("/pong", new Respond(302, java.util.Map.of("location", "/ping"), ""));
        server.route("/hop1", new Respond(302, java.util.Map.of("location", "/hop2"), ""));
        server.route("/hop2", new Respond(302, java.util.Map.of("location", "/hop3"), ""));
        server.route("/hop3", new Respond(200, "{\"items\":[1]}"));
        StepVerifier.create(Fetch.get().decodeWith(ITEMS).apply(Flux.just(item(server.url("/ping")))))
                .assertNext(failed -> assertThat(failed.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.TOO_MANY_REDIRECTS);
                    assertThat(f.message()).contains("redirects in a loop");
                }))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(Fetch.get().redirects(1).decodeWith(ITEMS).apply(Flux.just(item(server.url("/hop1")))))
                .assertNext(failed -> assertThat(failed.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.TOO_MANY_REDIRECTS);
                    assertThat(f.message()).contains("redirected more than 1 times");
                }))
                .expectComplete()
                .verify(WAIT);
    }
}
