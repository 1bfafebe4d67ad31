package dev.sluice.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.ParseException;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunReport;
import dev.sluice.SinkReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

class JsonSplitTest {

    private static final String URL = "https://api.example.test/page.json";
    private static final Origin ORIGIN = Origin.of("urls.txt", 7);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void firstElementLeavesBeforeTheLastChunkIsFed() {
        TestPublisher<ByteBuffer> body = TestPublisher.create();

        StepVerifier.create(Parse.elements(body.flux(), "/items", SplitOptions.DEFAULTS, URL))
                .then(() -> body.next(utf8("{\"count\": 2, \"items\": [{\"id\": 1}, {\"i")))
                .expectNext(json("{\"id\":1}"))
                .then(() -> body.next(utf8("d\": 2}]}")))
                .expectNext(json("{\"id\":2}"))
                .then(body::complete)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void chunkBoundariesInsideTokensStringsAndMultibyteCharactersDoNotMatter() {
        String document = "{\"items\": [{\"name\": \"café 日本 😀\", \"esc\": \"a\\\"b\\\\c\\u00e9\"}, 12345.678e-2,"
                + " true, null, \"ünïcødé\", [1, [2, 3]], {\"deep\": {\"er\": [{}]}}, -9223372036854775808]}";
        List<JsonNode> expected = new ArrayList<>();
        json(document).get("items").forEach(expected::add);
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);

        for (int size = 1; size <= 7; size++) {
            StepVerifier.create(Parse.elements(chunks(bytes, size), "/items", SplitOptions.DEFAULTS, URL).collectList())
                    .assertNext(elements -> assertThat(elements).isEqualTo(expected))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Test
    void splitStageEmitsOneItemPerElementWithTheBodysMetadata() {
        Item body = fetched("{\"items\": [{\"id\": 1}, {\"id\": 2}, 3]}");

        StepVerifier.create(Parse.split("/items").apply(Flux.just(body)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(json("{\"id\":1}"));
                    assertThat(item.metadata()).isEqualTo(body.metadata());
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"id\":2}")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(3)))
                .verifyComplete();
    }

    @Test
    void emptyPointerSplitsATopLevelArrayIncludingNestedArraysAndScalars() {
        Item body = text("[[1, 2], \"x\", {\"a\": []}, 4]");

        StepVerifier.create(Parse.split("").apply(Flux.just(body)).map(Item::value))
                .expectNext(json("[1,2]"), TextNode.valueOf("x"), json("{\"a\":[]}"), IntNode.valueOf(4))
                .verifyComplete();
    }

    @Test
    void nestedPointerSplitsOnlyTheArrayAtThatPath() {
        Item body = text("{\"items\": [\"top\"], \"data\": {\"other\": [0], \"items\": [{\"items\": [9]}, 2],"
                + " \"after\": [3]}, \"more\": [4]}");

        StepVerifier.create(Parse.split("/data/items").apply(Flux.just(body)).map(Item::value))
                .expectNext(json("{\"items\":[9]}"), IntNode.valueOf(2))
                .verifyComplete();
    }

    @Test
    void malformedElementMidArrayFailsTheRestOfTheBodyWithLineAndColumn() {
        Item body = fetched("{\"items\": [\n  {\"id\": 1},\n  {\"id\": 2},\n  {\"id\": oops},\n  {\"id\": 4}\n]}");

        StepVerifier.create(Parse.split("/items").apply(Flux.just(body, fetched("{\"items\": [5]}"))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"id\":1}")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"id\":2}")))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.PARSE);
                    assertThat(failure.stage()).isEqualTo("parse");
                    assertThat(failure.value()).isEqualTo(body.value());
                    assertThat(failure.message()).startsWith("invalid JSON in " + URL + " at line 4, column 10: "
                            + "Unexpected character ('o' (code 111))");
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(5)))
                .verifyComplete();
    }

    @Test
    void malformedChunkedBodyEndsWithAParseExceptionAfterTheGoodElements() {
        byte[] bytes = "[1,\n 2,\n 3 4]".getBytes(StandardCharsets.UTF_8);
        AtomicInteger cancelled = new AtomicInteger();

        StepVerifier.create(Parse.elements(chunks(bytes, 4).concatWith(Flux.never()).doOnCancel(cancelled::incrementAndGet),
                        "", SplitOptions.DEFAULTS, URL))
                .expectNext(IntNode.valueOf(1), IntNode.valueOf(2), IntNode.valueOf(3))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(ParseException.class)
                            .hasMessageStartingWith("invalid JSON in " + URL + " at line 3, column 4: "
                                    + "Unexpected character ('4'");
                    assertThat(((ParseException) e).line()).isEqualTo(3);
                    assertThat(((ParseException) e).column()).isEqualTo(4);
                })
                .verify(TIMEOUT);
        assertThat(cancelled.get()).as("chunks cancelled").isPositive();
    }

    @Test
    void pointerThatMatchesNothingFailsTheBody() {
        StepVerifier.create(Parse.split("/itemz").apply(Flux.just(fetched("{\"items\": [1, 2]}"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("cannot split " + URL + " at '/itemz': no such value"))
                .verifyComplete();
    }

    @Test
    void valueAtThePointerThatIsNotAnArrayFailsTheBodyWithItsLocation() {
        Flux<Item> bodies = Flux.just(fetched("{\"items\": {\"a\": 1}}"), fetched("{\"items\": null}"));

        StepVerifier.create(Parse.split("/items").apply(bodies))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("cannot split " + URL + " at '/items': found an object at '/items', not an array"
                                + " (line 1, column 11)"))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("cannot split " + URL + " at '/items': found null at '/items', not an array"))
                .verifyComplete();
    }

    @Test
    void contentAfterTheDocumentFailsTheBodyAfterItsElements() {
        StepVerifier.create(Parse.split("").apply(Flux.just(text("[1] [2]"))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(1)))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("cannot split urls.txt:7 at the root: unexpected content after the JSON value"
                                + " (line 1, column 5)"))
                .verifyComplete();
    }

    @Test
    void truncatedBodyFailsAfterTheElementsItHad() {
        StepVerifier.create(Parse.split("/items").apply(Flux.just(text("{\"items\": [1, 2, {\"a\""))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(1)))
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(2)))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("invalid JSON in urls.txt:7 at line 1, column ")
                        .contains("end-of-input"))
                .verifyComplete();
    }

    @Test
    void elementLargerThanTheLimitFailsWithWhereItStarts() {
        String big = "\"" + "x".repeat(5000) + "\"";
        byte[] bytes = ("[1,\n  " + big + ", 3]").getBytes(StandardCharsets.UTF_8);
        SplitOptions options = SplitOptions.DEFAULTS.withMaxElementBytes(1000);

        StepVerifier.create(Parse.elements(chunks(bytes, 256), "", options, URL))
                .expectNext(IntNode.valueOf(1))
                .expectErrorMessage("cannot split " + URL + " at the root: element 2 is larger than 1000 bytes;"
                        + " raise max_element_bytes (line 2, column 3)")
                .verify(TIMEOUT);
    }

    @Test
    void bodyLargerThanTheDocumentLimitFails() {
        byte[] bytes = "[1, 2, 3, 4, 5, 6, 7, 8, 9]".getBytes(StandardCharsets.UTF_8);
        SplitOptions options = SplitOptions.DEFAULTS.withMaxDocumentBytes(10);

        StepVerifier.create(Parse.elements(chunks(bytes, 8), "", options, URL))
                .expectNext(IntNode.valueOf(1), IntNode.valueOf(2))
                .expectErrorMessage("cannot split " + URL + ": the body is larger than 10 bytes;"
                        + " raise max_document_bytes")
                .verify(TIMEOUT);
    }

    @Test
    void nestingDeeperThanTheLimitFailsWithItsLocation() {
        SplitOptions options = SplitOptions.DEFAULTS.withMaxNestingDepth(3);

        StepVerifier.create(Parse.split("", options).apply(Flux.just(text("[[1], [[[2]]]]"))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("[1]")))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("invalid JSON in urls.txt:7 at line 1, column ")
                        .contains("nesting depth"))
                .verifyComplete();
    }

    @Test
    void elementsAreReadOnDemandOneChunkAtATime() {
        AtomicInteger fed = new AtomicInteger();
        Flux<ByteBuffer> endless = Flux.just(utf8("["))
                .concatWith(Flux.range(1, Integer.MAX_VALUE).map(n -> utf8(n + ",")))
                .doOnNext(chunk -> fed.incrementAndGet());

        StepVerifier.create(Parse.elements(endless, "", SplitOptions.DEFAULTS, URL), 0)
                .thenRequest(2)
                .expectNext(IntNode.valueOf(1), IntNode.valueOf(2))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(fed.get()).isLessThan(10);
    }

    @Test
    void nonTextBodyAndFailedItemsAreHandledLikeParseJson() {
        Item failed = fetched("x").fail("fetch", Reason.HTTP_STATUS, "GET returned 500", 500, 1, URL);

        StepVerifier.create(Parse.split("/items").apply(Flux.just(Item.of(json("{}"), ORIGIN), failed)))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("parse json expects a text body, got object"))
                .expectNext(failed)
                .verifyComplete();
    }

    @Test
    void invalidPointerIsRejectedAtAssembly() {
        assertThatThrownBy(() -> Parse.split("items"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON Pointer 'items': ");
    }

    @Test
    void optionsRejectLimitsBelowOne() {
        assertThatThrownBy(() -> SplitOptions.DEFAULTS.withMaxElementBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxElementBytes must be >= 1, was 0");
    }

    @Test
    void runBalancesSplitBodiesEmptyArraysAndFailures() {
        Flux<Item> bodies = Flux.just(
                text("{\"items\": [1, 2, 3]}"), text("{\"items\": []}"), text("{\"items\": [1, x]}"));

        StepVerifier.create(Pipeline.from(() -> bodies)
                        .then(Parse.split("/items"))
                        .to(items -> items.count().map(SinkReport::new))
                        .run())
                .assertNext(report -> assertThat(report)
                        .extracting(RunReport::inputs, RunReport::expanded, RunReport::outputs, RunReport::filtered,
                                RunReport::deadLettered, RunReport::isBalanced)
                        .containsExactly(3L, 3L, 4L, 1L, 1L, true))
                .verifyComplete();
    }

    private static Flux<ByteBuffer> chunks(byte[] bytes, int size) {
        return Flux.range(0, (bytes.length + size - 1) / size)
                .map(i -> ByteBuffer.wrap(bytes, i * size, Math.min(size, bytes.length - i * size)));
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
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
