package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.ConfigException;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import dev.sluice.Source;
import dev.sluice.Stage;
import dev.sluice.fetch.FaultyServer.Respond;
import dev.sluice.fetch.FaultyServer.Slow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The paginating fetch against a loopback server, one style at a time. */
class PaginateTest {

    @RegisterExtension
    static final FaultyServer server = FaultyServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Sink COUNTING_SINK = items -> items.count().map(SinkReport::new);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Item collection(String url) {
        return Item.of(TextNode.valueOf(url), Origin.of("collections", 7));
    }

    private static Stage paginate(Pagination pagination) {
        return Fetch.get().retry(RetryOptions.NONE).paginate(pagination);
    }

    private static List<String> bodies(List<Item> items) {
        return items.stream().map(i -> i.value().textValue()).toList();
    }

    @Test
    void linkStyleFollowsTheNextLinkUntilThereIsNone() {
        server.route("/gh", new Respond(200, Map.of("link", "<" + server.url("/gh?page=2") + ">; rel=\"next\", <"
                + server.url("/gh?page=3") + ">; rel=\"last\""), "[1]"));
        server.route("/gh?page=2", new Respond(200, Map.of("link", "</gh?page=1>; rel=\"prev\", </gh?page=3>; rel=\"next\""), "[2]"));
        server.route("/gh?page=3", new Respond(200, Map.of("link", "</gh?page=2>; rel=\"prev\""), "[3]"));

        StepVerifier.create(paginate(Pagination.link()).apply(Flux.just(collection(server.url("/gh")))).collectList())
                .assertNext(items -> {
                    assertThat(bodies(items)).containsExactly("[1]", "[2]", "[3]");
                    assertThat(items).allSatisfy(i -> assertThat(i.origin()).isEqualTo(Origin.of("collections", 7)));
                    assertThat(items.get(2).metadata().url()).isEqualTo(server.url("/gh?page=3"));
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).containsExactly("/gh", "/gh?page=2", "/gh?page=3");
    }

    @Test
    void nextExpressionFollowsTheUrlInTheBody() {
        server.route("/n", new Respond(200, "{\"data\":[1],\"links\":{\"next\":\"" + server.url("/n/2") + "\"}}"));
        server.route("/n/2", new Respond(200, "{\"data\":[2],\"links\":{\"next\":\"/n/3\"}}"));
        server.route("/n/3", new Respond(200, "{\"data\":[3],\"links\":{\"next\":null}}"));

        StepVerifier.create(paginate(Pagination.next(".links.next")).apply(Flux.just(collection(server.url("/n")))))
                .assertNext(i -> assertThat(json(i.value().textValue()).at("/data/0").intValue()).isEqualTo(1))
                .assertNext(i -> assertThat(json(i.value().textValue()).at("/data/0").intValue()).isEqualTo(2))
                .assertNext(i -> assertThat(json(i.value().textValue()).at("/data/0").intValue()).isEqualTo(3))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void cursorStyleSendsTheCursorBackUntilItIsEmpty() {
        server.route("/c?limit=2", new Respond(200, "{\"items\":[1,2],\"meta\":{\"next_cursor\":\"a b\"}}"));
        server.route("/c?limit=2&cursor=a+b", new Respond(200, "{\"items\":[3,4],\"meta\":{\"next_cursor\":\"z\"}}"));
        server.route("/c?limit=2&cursor=z", new Respond(200, "{\"items\":[5],\"meta\":{\"next_cursor\":\"\"}}"));

        StepVerifier.create(paginate(Pagination.cursor("cursor", ".meta.next_cursor"))
                        .apply(Flux.just(collection(server.url("/c?limit=2")))).count())
                .expectNext(3L)
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).containsExactly("/c?limit=2", "/c?limit=2&cursor=a+b", "/c?limit=2&cursor=z");
    }

    @Test
    void hasMoreFalseEndsTheCollection() {
        server.route("/h", new Respond(200, "{\"has_more\":true,\"cursor\":\"2\"}"));
        server.route("/h?c=2", new Respond(200, "{\"has_more\":false,\"cursor\":\"3\"}"));

        StepVerifier.create(paginate(Pagination.cursor("c", ".cursor").withHasMore(".has_more"))
                        .apply(Flux.just(collection(server.url("/h")))).count())
                .expectNext(2L)
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).containsExactly("/h", "/h?c=2");
    }

    @Test
    void pageStyleCountsUpUntilAnEmptyPageWhichIsNotEmitted() {
        server.route("/p?page=1", new Respond(200, "{\"data\":[1,2]}"));
        server.route("/p?page=2", new Respond(200, "{\"data\":[3]}"));
        server.route("/p?page=3", new Respond(200, "{\"data\":[]}"));

        StepVerifier.create(paginate(Pagination.page("page", 1).withItems(".data"))
                        .apply(Flux.just(collection(server.url("/p")))).collectList())
                .assertNext(items -> assertThat(bodies(items)).containsExactly("{\"data\":[1,2]}", "{\"data\":[3]}"))
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).containsExactly("/p?page=1", "/p?page=2", "/p?page=3");
    }

    @Test
    void anEmptyFirstPageIsStillEmitted() {
        server.route("/e?p=0", new Respond(200, "[]"));

        StepVerifier.create(paginate(Pagination.page("p", 0)).apply(Flux.just(collection(server.url("/e")))))
                .assertNext(i -> assertThat(i.value()).isEqualTo(TextNode.valueOf("[]")))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void failingMiddlePageDeadLettersTheCollectionSayingHowFarItGot() {
        server.route("/f?page=1", new Respond(200, "[1]"));
        server.route("/f?page=2", new Respond(200, "[2]"));
        server.route("/f?page=3", new Respond(500, "boom"));
        server.route("/f?page=4", new Respond(200, "[4]"));

        StepVerifier.create(paginate(Pagination.page("page", 1)).apply(Flux.just(collection(server.url("/f")))))
                .assertNext(i -> assertThat(i.value()).isEqualTo(TextNode.valueOf("[1]")))
                .assertNext(i -> assertThat(i.value()).isEqualTo(TextNode.valueOf("[2]")))
                .assertNext(i -> assertThat(i.failure()).get().satisfies(f -> {
                    assertThat(f.stage()).isEqualTo("paginate");
                    assertThat(f.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(f.message()).isEqualTo("page 3 of " + server.url("/f") + " failed: GET "
                            + server.url("/f?page=3") + " returned 500 Internal Server Error");
                    assertThat(i.origin()).isEqualTo(Origin.of("collections", 7));
                }))
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).doesNotContain("/f?page=4");
    }

    @Test
    void maxPagesStopsAnEndlessCollection() {
        server.route("/loop", new Respond(200, Map.of("link", "</loop>; rel=\"next\""), "x"));

        StepVerifier.create(paginate(Pagination.link().withMaxPages(4)).apply(Flux.just(collection(server.url("/loop")))).count())
                .expectNext(4L)
                .expectComplete()
                .verify(WAIT);
        assertThat(server.paths()).hasSize(4);
    }

    @Test
    void nextUrlThatIsNotHttpFailsTheNextPage() {
        server.route("/x", new Respond(200, "{\"next\":\"ftp://example.com/2\"}"));

        StepVerifier.create(paginate(Pagination.next(".next")).apply(Flux.just(collection(server.url("/x")))))
                .assertNext(i -> assertThat(i.isFailure()).isFalse())
                .assertNext(i -> assertThat(i.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.INVALID_URL);
                    assertThat(f.message()).isEqualTo("page 2 of " + server.url("/x") + " failed: next '.next' gave an"
                            + " invalid URL 'ftp://example.com/2': scheme must be http or https, was ftp");
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void bodyThatIsNotJsonFailsItsPageAsParse() {
        server.route("/bad", new Respond(200, "<html>"));

        StepVerifier.create(paginate(Pagination.next(".next")).apply(Flux.just(collection(server.url("/bad")))))
                .assertNext(i -> assertThat(i.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.PARSE);
                    assertThat(f.message()).startsWith("page 1 of " + server.url("/bad") + " failed: reading the body failed: not JSON");
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void collectionsPaginateConcurrentlyAndTheRunBalances() {
        server.route("/a?page=1", new Slow(Duration.ofMillis(300), "[1]"));
        server.route("/a?page=2", new Respond(200, "[2]"));
        server.route("/a?page=3", new Respond(200, "[]"));
        server.route("/b?page=1", new Slow(Duration.ofMillis(300), "[1]"));
        server.route("/b?page=2", new Respond(503, "busy"));
        Source source = () -> Flux.just(Item.of(TextNode.valueOf(server.url("/a")), Origin.of("in", 1)),
                Item.of(TextNode.valueOf(server.url("/b")), Origin.of("in", 2)));
        Pipeline pipeline = Pipeline.from(source).then(paginate(Pagination.page("page", 1)))
                .to(COUNTING_SINK).deadLetterTo(COUNTING_SINK);

        StepVerifier.create(pipeline.run())
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(2);
                    assertThat(report.expanded()).isEqualTo(2);
                    assertThat(report.outputs()).isEqualTo(3);
                    assertThat(report.deadLettered()).isEqualTo(1);
                    assertThat(report.inputs() + report.expanded())
                            .isEqualTo(report.outputs() + report.filtered() + report.deadLettered());
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(server.maxInFlight(server.hostHeader())).as("both first pages at once").isGreaterThanOrEqualTo(2);
    }

    @Test
    void paginationSettingsAreValidated() {
        assertThatThrownBy(() -> Pagination.link().withMaxPages(0)).hasMessage("maxPages must be >= 1, was 0");
        assertThatThrownBy(() -> Pagination.cursor("", ".c")).hasMessage("param must not be empty for CURSOR pagination");
        assertThatThrownBy(() -> Pagination.next(".[")).hasMessageStartingWith("invalid jq expression '.['");
        assertThatThrownBy(() -> Fetch.get().into(".a").paginate(Pagination.link()))
                .hasMessage("paginate emits the pages themselves; into does not apply");
        assertThatThrownBy(() -> Fetch.get().decodeWith((chunks, url) -> Flux.empty()).paginate(Pagination.link()))
                .hasMessage("paginate emits the pages themselves; decodeWith does not apply");
    }

    @Test
    void specBindsEachStyle() {
        assertThat(((PaginateStage) FetchSpecs.PAGINATE.parse("next: link")).pagination()).isEqualTo(Pagination.link());
        assertThat(((PaginateStage) FetchSpecs.PAGINATE.parse("next: .links.next\nmax_pages: 5")).pagination())
                .isEqualTo(Pagination.next(".links.next").withMaxPages(5));
        assertThat(((PaginateStage) FetchSpecs.PAGINATE.parse("cursor: { from: .meta.next }\nhas_more: .more")).pagination())
                .isEqualTo(Pagination.cursor("cursor", ".meta.next").withHasMore(".more"));
        PaginateStage page = (PaginateStage) FetchSpecs.PAGINATE.parse("page: { param: p, start: 0, items: .data }\nper_host: 2");
        assertThat(page.pagination()).isEqualTo(Pagination.page("p", 0).withItems(".data"));
        assertThat(page.options().perHost()).isEqualTo(2);
    }

    @Test
    void specPaginatesThroughATemplatedUrl() {
        server.route("/s?page=1", new Respond(200, "[1]"));
        server.route("/s?page=2", new Respond(200, "[]"));
        Stage stage = FetchSpecs.PAGINATE.parse("page: {}\nurl: '\"" + server.url("/") + "\\(.name)\"'");

        StepVerifier.create(stage.apply(Flux.just(Item.of(json("{\"name\":\"s\"}"), Origin.of("in", 1)))))
                .assertNext(i -> assertThat(i.value()).isEqualTo(TextNode.valueOf("[1]")))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void specNeedsExactlyOneStyle() {
        assertThatThrownBy(() -> FetchSpecs.PAGINATE.parse("{}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("paginate takes exactly one of next, cursor, page or offset, got 0");
        assertThatThrownBy(() -> FetchSpecs.PAGINATE.parse("next: link\npage: {}"))
                .hasMessageContaining("got 2");
        assertThatThrownBy(() -> FetchSpecs.PAGINATE.parse("cursor: { param: c }"))
                .hasMessageContaining("cursor needs from");
        assertThatThrownBy(() -> FetchSpecs.PAGINATE.parse("next: '.['"))
                .hasMessageContaining("invalid jq expression '.['");
    }
}
