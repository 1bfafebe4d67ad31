package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.sluice.ConfigException;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.Source;
import dev.sluice.fetch.FaultyServer.Respond;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Requests built from jq templates over the item ({@code url}, {@code json_body}) and enrichment ({@code into}). */
class FetchTemplatesTest {

    @RegisterExtension
    static final FaultyServer server = FaultyServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Item item(JsonNode value) {
        return Item.of(value, Origin.of("test", 1));
    }

    private String template(String path) {
        return "\"" + server.url(path) + "\"";
    }

    @Test
    void urlTemplateBuildsEachUrlFromTheItem() {
        server.route("/item/7.json", new Respond(200, "{\"id\":7}"));
        Fetch fetch = Fetch.get().url("\"" + server.url("/item/") + "\\(.).json\"");

        StepVerifier.create(fetch.apply(Flux.just(item(IntNode.valueOf(7)))))
                .assertNext(out -> {
                    assertThat(out.isFailure()).isFalse();
                    assertThat(out.value().textValue()).isEqualTo("{\"id\":7}");
                    assertThat(out.metadata().url()).isEqualTo(server.url("/item/7.json"));
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void urlTemplateThatGivesNoStringDeadLettersAsInvalidUrl() {
        Fetch fetch = Fetch.get().url(".id");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":7}")))))
                .assertNext(out -> assertThat(out.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.INVALID_URL);
                    assertThat(f.message()).isEqualTo("fetch url '.id' failed: produced a number (7); it must produce a string");
                }))
                .expectComplete()
                .verify(WAIT);
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void urlTemplateThatGivesARelativeUrlDeadLettersNamingTheExpression() {
        Fetch fetch = Fetch.get().url("\"/items/\\(.id)\"");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":7}")))))
                .assertNext(out -> assertThat(out.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.INVALID_URL);
                    assertThat(f.message()).isEqualTo(
                            "fetch url '\"/items/\\(.id)\"' gave an invalid URL '/items/7': not an absolute URL");
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void invalidTemplateIsRejectedAtAssembly() {
        assertThatThrownBy(() -> Fetch.get().url("\"a\\(\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid jq expression");
        assertThatThrownBy(() -> Fetch.get().into("author"))
                .hasMessage("into must be a jq path below the value such as .author, was 'author'");
        assertThatThrownBy(() -> Fetch.get().optional()).hasMessage("optional applies to into, which is not set");
    }

    @Test
    void jsonBodySendsTheOutputAsJson() {
        server.route("/orders", new Respond(201, "ok"));
        Fetch fetch = Fetch.request(Method.POST).url(template("/orders")).jsonBody("{id, n: (.n + 1)}");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":\"a\",\"n\":1,\"skip\":true}")))))
                .assertNext(out -> assertThat(out.isFailure()).isFalse())
                .expectComplete()
                .verify(WAIT);

        FaultyServer.Seen seen = server.seen().get(0);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(json(seen.body())).isEqualTo(json("{\"id\":\"a\",\"n\":2}"));
        assertThat(seen.headers()).containsEntry("content-type", "application/json");
    }

    @Test
    void jsonBodyErrorDeadLettersAsTransformAndSendsNothing() {
        Fetch fetch = Fetch.request(Method.POST).url(template("/orders")).jsonBody(".n + 1");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"n\":\"x\"}")))))
                .assertNext(out -> assertThat(out.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.TRANSFORM);
                    assertThat(f.message()).startsWith("POST " + server.url("/orders")
                            + " not sent: json_body '.n + 1' failed: ").contains("cannot be added");
                }))
                .expectComplete()
                .verify(WAIT);
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void intoMergesTheResponseAndKeepsTheItemsValueAndOrigin() {
        server.route("/user/ann.json", new Respond(200, "{\"id\":\"ann\",\"karma\":5}"));
        Fetch fetch = Fetch.get().url("\"" + server.url("/user/") + "\\(.by).json\"").into(".author");
        Item story = item(json("{\"id\":1,\"by\":\"ann\"}"));

        StepVerifier.create(fetch.apply(Flux.just(story)))
                .assertNext(out -> {
                    assertThat(out.value()).isEqualTo(json("{\"id\":1,\"by\":\"ann\",\"author\":{\"id\":\"ann\",\"karma\":5}}"));
                    assertThat(out.metadata()).isEqualTo(story.metadata());
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void intoReadsNdjsonAsAnArray() {
        server.route("/comments", new Respond(200, "{\"c\":1}\n\n{\"c\":2}\n"));
        Fetch fetch = Fetch.get().url(template("/comments")).into(".comments", BodyFormat.NDJSON);

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":1}")))))
                .assertNext(out -> assertThat(out.value()).isEqualTo(json("{\"id\":1,\"comments\":[{\"c\":1},{\"c\":2}]}")))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void failedEnrichmentDeadLettersTheItem() {
        Fetch fetch = Fetch.get().url(template("/missing")).into(".author");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":1}")))))
                .assertNext(out -> assertThat(out.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(f.message()).isEqualTo("GET " + server.url("/missing") + " returned 404 Not Found");
                    assertThat(f.status()).isEqualTo(404);
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void malformedEnrichmentBodyDeadLettersAsParse() {
        server.route("/bad", new Respond(200, "{\"a\":"));
        Fetch fetch = Fetch.get().url(template("/bad")).into(".author");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":1}")))))
                .assertNext(out -> assertThat(out.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.PARSE);
                    assertThat(f.message()).startsWith("GET " + server.url("/bad") + " for into '.author': not JSON at line 1");
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void anEmptyEnrichmentBodyIsNotJsonEither() {
        server.route("/empty", new Respond(200, ""));
        Fetch fetch = Fetch.get().url(template("/empty")).into(".author");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":1}")))))
                .assertNext(out -> assertThat(out.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.PARSE);
                    assertThat(f.message()).isEqualTo("GET " + server.url("/empty")
                            + " for into '.author': not JSON: the body is empty or blank");
                }))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void optionalEnrichmentKeepsTheItemAndRecordsTheFailureUnderErrors() {
        Fetch fetch = Fetch.get().url(template("/missing")).into(".meta.author").optional();

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":1}")))))
                .assertNext(out -> {
                    assertThat(out.isFailure()).isFalse();
                    assertThat(out.value().path("meta").has("author")).isFalse();
                    assertThat(out.value().at("/_errors/meta/author")).isEqualTo(json("{\"reason\":\"http_status\","
                            + "\"message\":\"GET " + server.url("/missing") + " returned 404 Not Found\","
                            + "\"status\":404,\"url\":\"" + server.url("/missing") + "\",\"attempts\":1}"));
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void enrichmentAccountsOneItemOutForEachIn() {
        server.route("/u/1", new Respond(200, "{\"ok\":1}"));
        Source source = () -> Flux.range(1, 4).map(n -> Item.of(json("{\"id\":" + n + "}"), Origin.of("test", n)));
        Fetch fetch = Fetch.get().url("\"" + server.url("/u/") + "\\(.id)\"").into(".user");
        Pipeline pipeline = Pipeline.from(source).then(fetch).then(Fetch.get().url(template("/u/1")).into(".x").optional());

        StepVerifier.create(pipeline.results().collectList())
                .assertNext(items -> {
                    assertThat(items).hasSize(4);
                    assertThat(items.stream().filter(Item::isFailure)).hasSize(3);
                    assertThat(items.stream().filter(i -> !i.isFailure()).findFirst().orElseThrow().value())
                            .isEqualTo(json("{\"id\":1,\"user\":{\"ok\":1},\"x\":{\"ok\":1}}"));
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void specBindsTheTemplatesAndEnrichment() {
        server.route("/user/ann.json", new Respond(200, "ann"));
        Fetch fetch = (Fetch) FetchSpecs.SPEC.parse("url: '\"" + server.url("/user/")
                + "\\(.by).json\"'\ninto: .author\nformat: text\noptional: true");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"by\":\"ann\"}")))))
                .assertNext(out -> assertThat(out.value()).isEqualTo(json("{\"by\":\"ann\",\"author\":\"ann\"}")))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void specRejectsBadJqAndStrayEnrichmentSettings() {
        assertThatThrownBy(() -> FetchSpecs.SPEC.parse("url: '.['"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("url").hasMessageContaining("invalid jq expression '.['");
        assertThatThrownBy(() -> FetchSpecs.SPEC.parse("optional: true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("optional applies to into, which is not set");
        assertThatThrownBy(() -> FetchSpecs.SPEC.parse("body: x\njson_body: .x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("use one");
    }

    @Test
    void headerTemplatesAreRenderedPerItemAndWinOverFixedHeaders() {
        server.route("/h", new Respond(200, "ok"));
        Fetch fetch = Fetch.get().url(template("/h")).header("x-id", "fixed").header("accept", "text/plain")
                .headerFrom("x-id", "\"item-\\(.id)\"");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":7}")))))
                .assertNext(out -> assertThat(out.isFailure()).isFalse())
                .expectComplete()
                .verify(WAIT);

        assertThat(server.seen().get(0).headers()).containsEntry("x-id", "item-7").containsEntry("accept", "text/plain");
    }

    @Test
    void headerTemplateErrorDeadLettersAsTransformAndSendsNothing() {
        Fetch fetch = Fetch.get().url(template("/h")).headerFrom("x-id", ".id");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"id\":7}")))))
                .assertNext(out -> assertThat(out.failure()).get().satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.TRANSFORM);
                    assertThat(f.message()).isEqualTo("GET " + server.url("/h") + " not sent: header x-id '.id' failed: "
                            + "produced a number (7); it must produce a string");
                }))
                .expectComplete()
                .verify(WAIT);
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void specBindsHeaderTemplatesAndRejectsBadOnes() {
        server.route("/h", new Respond(200, "ok"));
        Fetch fetch = (Fetch) FetchSpecs.SPEC.parse("url: '" + template("/h") + "'\nheader_templates: { x-by: .by }");

        StepVerifier.create(fetch.apply(Flux.just(item(json("{\"by\":\"ann\"}")))))
                .assertNext(out -> assertThat(out.isFailure()).isFalse())
                .expectComplete()
                .verify(WAIT);
        assertThat(server.seen().get(0).headers()).containsEntry("x-by", "ann");
        assertThatThrownBy(() -> FetchSpecs.SPEC.parse("header_templates: { x-by: '.[' }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("invalid jq expression '.['");
    }
}
