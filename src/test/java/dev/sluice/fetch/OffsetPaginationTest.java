package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Reason;
import dev.sluice.RunReport;
import dev.sluice.SinkReport;
import dev.sluice.definition.PipelineFiles;
import dev.sluice.fetch.FaultyServer.Respond;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Offset pagination against a loopback server: the offset goes up by the page size until a stop condition. */
class OffsetPaginationTest {

    @RegisterExtension
    static final FaultyServer server = FaultyServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Flux<Item> collection(String path) {
        return Flux.just(Item.of(TextNode.valueOf(server.url(path)), Origin.of("collections", 5)));
    }

    private static Flux<Item> paginate(Pagination pagination, String path) {
        return Fetch.get().retry(RetryOptions.NONE).paginate(pagination).apply(collection(path));
    }

    @Test
    void offsetGoesUpByTheStepWithTheLimitUntilAnEmptyPageWhichIsNotEmitted() {
        server.route("/o?limit=2&offset=0", new Respond(200, "{\"results\":[1,2]}"));
        server.route("/o?limit=2&offset=2", new Respond(200, "{\"results\":[3]}"));
        server.route("/o?limit=2&offset=4", new Respond(200, "{\"results\":[]}"));

        StepVerifier.create(paginate(Pagination.offset("offset", 0, 2).withLimitParam("limit").withItems(".results"), "/o")
                        .map(i -> i.value().textValue()))
                .expectNext("{\"results\":[1,2]}", "{\"results\":[3]}")
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).containsExactly("/o?limit=2&offset=0", "/o?limit=2&offset=2", "/o?limit=2&offset=4");
    }

    @Test
    void totalEndsTheCollectionWithoutAskingForTheEmptyPage() {
        server.route("/t?skip=10", new Respond(200, "{\"items\":[1,2,3],\"total\":15}"));
        server.route("/t?skip=13", new Respond(200, "{\"items\":[4,5],\"total\":15}"));

        StepVerifier.create(paginate(Pagination.offset("skip", 10, 3).withTotal(".total - 10 + 10").withItems(".items"), "/t")
                        .count())
                .expectNext(2L)
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).containsExactly("/t?skip=10", "/t?skip=13");
    }

    @Test
    void maxPagesAndHasMoreStopToo() {
        server.route("/m?offset=0", new Respond(200, "[1]"));
        server.route("/m?offset=1", new Respond(200, "[2]"));
        server.route("/m?offset=2", new Respond(200, "[3]"));
        server.route("/h?offset=0", new Respond(200, "{\"data\":[1],\"more\":true}"));
        server.route("/h?offset=1", new Respond(200, "{\"data\":[2],\"more\":false}"));

        StepVerifier.create(paginate(Pagination.offset("offset", 0, 1).withMaxPages(2), "/m").count())
                .expectNext(2L)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(paginate(Pagination.offset("offset", 0, 1).withHasMore(".more").withItems(".data"), "/h").count())
                .expectNext(2L)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aFailingMiddlePageDeadLettersTheCollectionSayingHowFarItGot() {
        server.route("/f?offset=0", new Respond(200, "[1]"));
        server.route("/f?offset=50", new Respond(503, "busy"));
        server.route("/f?offset=100", new Respond(200, "[3]"));

        StepVerifier.create(paginate(Pagination.offset("offset", 0, 50), "/f"))
                .assertNext(i -> assertThat(i.value()).isEqualTo(TextNode.valueOf("[1]")))
                .assertNext(i -> assertThat(i.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(f.message()).isEqualTo("page 2 of " + server.url("/f") + " failed: GET "
                            + server.url("/f?offset=50") + " returned 503 Service Unavailable");
                    assertThat(i.origin()).isEqualTo(Origin.of("collections", 5));
                }))
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).containsExactly("/f?offset=0", "/f?offset=50");
    }

    @Test
    void aTotalThatIsNotANumberFailsThePage() {
        server.route("/x?offset=0", new Respond(200, "{\"items\":[1],\"total\":\"many\"}"));

        StepVerifier.create(paginate(Pagination.offset("offset", 0, 1).withTotal(".total"), "/x"))
                .assertNext(i -> assertThat(i.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.TRANSFORM);
                    assertThat(f.message()).isEqualTo("page 1 of " + server.url("/x")
                            + " failed: total '.total' failed: produced \"many\", not a number");
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void offsetPaginationFromAPipelineFileBalances() {
        server.route("/api?limit=2&offset=0", new Respond(200, "{\"results\":[{\"id\":1},{\"id\":2}],\"count\":3}"));
        server.route("/api?limit=2&offset=2", new Respond(200, "{\"results\":[{\"id\":3}],\"count\":3}"));
        String yaml = """
                source: { url: '%s' }
                steps:
                  - paginate: { offset: { step: 2, limit_param: limit, items: .results, total: .count } }
                  - parse: json
                  - explode: '.results[]'
                sink: { stdout: {} }
                """.formatted(server.url("/api?offset=9"));

        StepVerifier.create(PipelineFiles.parse(yaml, "o.yaml", "o", Map.of(), List.of()).pipeline()
                        .to(items -> items.count().map(SinkReport::new)).run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(3);
                    assertThat(report).extracting(RunReport::isBalanced).isEqualTo(true);
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void offsetNeedsAStepOfAtLeastOne() {
        assertThatThrownBy(() -> Pagination.offset("offset", 0, 0)).hasMessage("step must be >= 1, was 0");
        assertThatThrownBy(() -> PipelineFiles.parse("source: { url: 'http://h/' }\nsteps:\n  - paginate: { offset: {} }\n"
                + "sink: { stdout: {} }\n", "o.yaml", "o", Map.of(), List.of()))
                .hasMessageContaining("offset needs step, the page size");
    }
}
