package dev.sluice.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunReport;
import dev.sluice.SinkReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ParseTest {

    private static final String URL = "https://api.example.test/a.json";
    private static final Origin ORIGIN = Origin.of("urls.txt", 7);

    @Test
    void jsonParsesAnObjectAndKeepsTheMetadata() {
        Item body = fetched("{\"a\": 1, \"b\": [true, null]}");

        StepVerifier.create(Parse.json().apply(Flux.just(body)))
                .assertNext(item -> {
                    assertThat(item.isFailure()).isFalse();
                    assertThat(item.value()).isEqualTo(json("{\"a\":1,\"b\":[true,null]}"));
                    assertThat(item.metadata()).isEqualTo(body.metadata());
                })
                .verifyComplete();
    }

    @Test
    void jsonParsesArraysAndScalars() {
        Flux<Item> bodies = Flux.just(text("[1, 2, 3]"), text("42"), text("\"hi\""), text(" null \r\n"));

        StepVerifier.create(Parse.json().apply(bodies))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("[1,2,3]")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(42)))
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("hi")))
                .assertNext(item -> assertThat(item.value().isNull()).isTrue())
                .verifyComplete();
    }

    @Test
    void jsonSkipsAByteOrderMarkAsTheOtherReadersDo() {
        Flux<Item> bodies = Flux.just(text("\uFEFF{\"bom\": true}"), text("\uFEFF"), text("\uFEFF\uFEFF{}"));

        StepVerifier.create(Parse.json().apply(bodies))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"bom\":true}")))
                .assertNext(item -> assertThat(item.failure()).hasValueSatisfying(
                        f -> assertThat(f.reason()).isEqualTo(Reason.PARSE)))
                .assertNext(item -> assertThat(item.failure()).hasValueSatisfying(
                        f -> assertThat(f.reason()).isEqualTo(Reason.PARSE)))
                .verifyComplete();
        byte[] marked = "\uFEFF{\"bom\": true}".getBytes(StandardCharsets.UTF_8);
        assertThat(Parse.json(marked, text(new String(marked, StandardCharsets.UTF_8))).value())
                .isEqualTo(json("{\"bom\":true}"));
    }

    @Test
    void malformedJsonNamesTheUrlLineAndColumn() {
        Item body = fetched("{\n  \"a\": 1,\n  oops\n}");

        StepVerifier.create(Parse.json().apply(Flux.just(body)))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.PARSE);
                    assertThat(failure.stage()).isEqualTo("parse");
                    assertThat(failure.url()).isEqualTo(URL);
                    assertThat(failure.value()).isEqualTo(body.value());
                    assertThat(failure.message()).isEqualTo("invalid JSON in " + URL + " at line 3, column 3: "
                            + "Unexpected character ('o' (code 111)): was expecting double-quote to start field name");
                })
                .verifyComplete();
    }

    @Test
    void malformedJsonThatWasNotFetchedNamesItsOrigin() {
        StepVerifier.create(Parse.json().apply(Flux.just(text("[1, 2"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("invalid JSON in urls.txt:7 at line 1, column 6: Unexpected end-of-input")
                        .doesNotContain("[Source:"))
                .verifyComplete();
    }

    @Test
    void trailingContentAfterTheValueIsAParseFailure() {
        Flux<Item> bodies = Flux.just(text("{\"a\":1} xyz"), text("{\"a\":1} {\"b\":2}"));

        StepVerifier.create(Parse.json().apply(bodies))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("invalid JSON in urls.txt:7 at line 1, column 9: Unrecognized token 'xyz'"))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("invalid JSON in urls.txt:7 at line 1, column 9: "
                                + "unexpected content after the JSON value"))
                .verifyComplete();
    }

    @Test
    void emptyBodyIsAParseFailureForJson() {
        StepVerifier.create(Parse.json().apply(Flux.just(text(""), text(" \n "))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("invalid JSON in urls.txt:7 at line 1, column 1: "
                                + "no JSON value, the body is empty or blank"))
                .assertNext(item -> assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.PARSE))
                .verifyComplete();
    }

    @Test
    void tooDeeplyNestedJsonIsAParseFailure() {
        String deep = "[".repeat(StrictJson.MAX_NESTING_DEPTH + 1) + "]".repeat(StrictJson.MAX_NESTING_DEPTH + 1);

        StepVerifier.create(Parse.json().apply(Flux.just(text(deep))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("invalid JSON in urls.txt:7 at line 1, column ")
                        .contains("nesting depth"))
                .verifyComplete();
    }

    @Test
    void nonTextValueFailsWithItsType() {
        Item parsed = Item.of(json("{\"a\":1}"), ORIGIN);

        StepVerifier.create(Parse.json().apply(Flux.just(parsed)).concatWith(Parse.ndjson().apply(Flux.just(parsed))))
                .assertNext(item -> {
                    assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.PARSE);
                    assertThat(item.failure().orElseThrow().message())
                            .isEqualTo("parse json expects a text body, got object");
                })
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("parse ndjson expects a text body, got object"))
                .verifyComplete();
    }

    @Test
    void failedItemsPassThroughUntouched() {
        Item failed = fetched("{\"a\":1}").fail("fetch", Reason.TIMEOUT, "GET " + URL + " timed out");

        StepVerifier.create(Parse.json().apply(Flux.just(failed)).concatWith(Parse.ndjson().apply(Flux.just(failed))))
                .expectNext(failed, failed)
                .verifyComplete();
    }

    @Test
    void ndjsonEmitsOneItemPerNonBlankLine() {
        Item body = fetched("{\"a\":1}\n\n   \n[2]\n\"three\"\n");

        StepVerifier.create(Parse.ndjson().apply(Flux.just(body)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(json("{\"a\":1}"));
                    assertThat(item.metadata()).isEqualTo(body.metadata());
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("[2]")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("three")))
                .verifyComplete();
    }

    @Test
    void ndjsonBadMiddleLineFailsAloneWithItsLineNumber() {
        Item body = fetched("{\"a\":1}\n{\"a\": oops}\n{\"a\":3}");

        StepVerifier.create(Parse.ndjson().apply(Flux.just(body)))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"a\":1}")))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.PARSE);
                    assertThat(failure.value()).isEqualTo(TextNode.valueOf("{\"a\": oops}"));
                    assertThat(failure.message())
                            .startsWith("invalid JSON in " + URL + " at line 2, column 7: Unrecognized token 'oops'");
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"a\":3}")))
                .verifyComplete();
    }

    @Test
    void ndjsonLineNumbersCountBlankLines() {
        StepVerifier.create(Parse.ndjson().apply(Flux.just(text("\r\n\n[1,\n"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("invalid JSON in urls.txt:7 at line 3, column 4: Unexpected end-of-input"))
                .verifyComplete();
    }

    @Test
    void ndjsonAcceptsCrlfLineEndings() {
        StepVerifier.create(Parse.ndjson().apply(Flux.just(text("{\"a\":1}\r\n{\"a\":2}\r\n"))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"a\":1}")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"a\":2}")))
                .verifyComplete();
    }

    @Test
    void ndjsonEmitsLinesAsDemandArrives() {
        StepVerifier.create(Parse.ndjson().apply(Flux.just(text("1\n2\n3"))), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(10))
                .thenRequest(1)
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(1)))
                .thenRequest(2)
                .expectNextCount(2)
                .verifyComplete();
    }

    @Test
    void ndjsonAccountingBalancesWithEmptyBodiesFilteredAndLinesExpanded() {
        Pipeline pipeline = Pipeline.from(() -> Flux.just(text("1\n2\n3"), text(""), text("\n \n"), text("4\nbad")))
                .then(Parse.ndjson())
                .to(items -> items.count().map(SinkReport::new))
                .deadLetterTo(items -> items.count().map(SinkReport::new));

        StepVerifier.create(pipeline.run())
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(4);
                    assertThat(report.expanded()).isEqualTo(3);
                    assertThat(report.filtered()).isEqualTo(2);
                    assertThat(report.outputs()).isEqualTo(4);
                    assertThat(report.deadLettered()).isEqualTo(1);
                    assertThat(report.deadLetterReasons()).isEqualTo(Map.of("parse", 1L));
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void jsonAccountingBalancesThroughAPipeline() {
        Pipeline pipeline = Pipeline.from(() -> Flux.just(text("{}"), text("oops"), text("[]")))
                .then(Parse.json());

        StepVerifier.create(pipeline.results().map(Item::isFailure))
                .expectNext(false, true, false)
                .verifyComplete();
        StepVerifier.create(pipeline.to(items -> items.count().map(SinkReport::new))
                        .deadLetterTo(items -> items.count().map(SinkReport::new))
                        .run())
                .assertNext(report -> assertThat(report)
                        .extracting(RunReport::outputs, RunReport::deadLettered, RunReport::isBalanced)
                        .containsExactly(2L, 1L, true))
                .verifyComplete();
    }

    private static Item text(String body) {
        return Item.ofText(body, ORIGIN);
    }

    private static Item fetched(String body) {
        return Bodies.fetched(body, ORIGIN, URL, "application/json", Duration.ofMillis(12));
    }

    private static JsonNode json(String text) {
        return Bodies.json(text);
    }
}
