package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.SinkReport;
import dev.sluice.Stage;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class TransformTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Origin ORIGIN = Origin.of("inline", 1);

    @Test
    void mapReplacesTheValueAndKeepsTheMetadata() {
        Item in = fetched("{\"n\": 2}");

        StepVerifier.create(Transform.map(v -> IntNode.valueOf(v.path("n").asInt() * 10)).apply(Flux.just(in)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(IntNode.valueOf(20));
                    assertThat(item.metadata()).isEqualTo(in.metadata());
                })
                .verifyComplete();
    }

    @Test
    void mapFunctionThatThrowsFailsOnlyThatItem() {
        Stage stage = Transform.map(v -> {
            if (v.asInt() == 2) {
                throw new IllegalStateException("two is not allowed");
            }
            return v;
        });

        StepVerifier.create(stage.apply(Flux.just(item("1"), item("2"), item("3"))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(1)))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.stage()).isEqualTo("map");
                    assertThat(failure.reason()).isEqualTo(Reason.TRANSFORM);
                    assertThat(failure.message()).isEqualTo("map function failed: two is not allowed");
                    assertThat(failure.value()).isEqualTo(IntNode.valueOf(2));
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(3)))
                .verifyComplete();
    }

    @Test
    void mapFunctionThatReturnsNullFailsTheItem() {
        StepVerifier.create(Transform.map(v -> null).apply(Flux.just(item("1"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("map function failed: returned null"))
                .verifyComplete();
    }

    @Test
    void exceptionWithoutMessageIsNamedByItsClass() {
        Stage stage = Transform.map(v -> {
            throw new IllegalStateException();
        });

        StepVerifier.create(stage.apply(Flux.just(item("{}"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("map function failed: java.lang.IllegalStateException"))
                .verifyComplete();
    }

    @Test
    void filterKeepsTheItemsThatPass() {
        Stage stage = Transform.filter(v -> v.path("score").asInt() >= 50);
        Flux<Item> items = Flux.just(item("{\"score\":10}"), item("{\"score\":50}"), item("{\"score\":99}"));

        StepVerifier.create(stage.apply(items))
                .assertNext(item -> assertThat(item.value().path("score").asInt()).isEqualTo(50))
                .assertNext(item -> assertThat(item.value().path("score").asInt()).isEqualTo(99))
                .verifyComplete();
    }

    @Test
    void filterPredicateThatThrowsFailsTheItem() {
        Stage stage = Transform.filter(v -> {
            throw new IllegalArgumentException("no score");
        });

        StepVerifier.create(stage.apply(Flux.just(item("{}"))))
                .assertNext(item -> {
                    assertThat(item.failure().orElseThrow().stage()).isEqualTo("filter");
                    assertThat(item.failure().orElseThrow().message()).isEqualTo("filter function failed: no score");
                })
                .verifyComplete();
    }

    @Test
    void explodeEmitsOneItemPerElementInOrderWithTheMetadata() {
        Item in = fetched("{\"items\": [\"a\", \"b\", \"c\"]}");

        StepVerifier.create(Transform.explode(v -> v.path("items")).apply(Flux.just(in)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(TextNode.valueOf("a"));
                    assertThat(item.metadata()).isEqualTo(in.metadata());
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("b")))
                .assertNext(item -> assertThat(item.value()).isEqualTo(TextNode.valueOf("c")))
                .verifyComplete();
    }

    @Test
    void explodeFunctionThatThrowsHalfwayFailsTheWholeItem() {
        Stage stage = Transform.explode(v -> () -> new Iterator<JsonNode>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public JsonNode next() {
                if (next == 2) {
                    throw new NoSuchElementException("ran dry");
                }
                return IntNode.valueOf(next++);
            }
        });

        StepVerifier.create(stage.apply(Flux.just(item("[]"))))
                .assertNext(item -> {
                    assertThat(item.failure().orElseThrow().stage()).isEqualTo("explode");
                    assertThat(item.failure().orElseThrow().message()).isEqualTo("explode function failed: ran dry");
                })
                .verifyComplete();
    }

    @Test
    void explodeFunctionThatReturnsNullOrANullElementFailsTheItem() {
        Stage stage = Transform.explode(v -> v.isArray() ? Arrays.asList(v, null) : null);

        StepVerifier.create(stage.apply(Flux.just(item("[1]"), item("1"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("explode function failed: returned null or a null element"))
                .assertNext(item -> assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.TRANSFORM))
                .verifyComplete();
    }

    @Test
    void failedItemsPassThroughEveryTransformUntouched() {
        Item failed = item("{}").fail("parse", Reason.PARSE, "invalid JSON in inline:1");
        Flux<Item> chain = Flux.just(failed)
                .transform(Transform.map(v -> {
                    throw new AssertionError("map must not see failed items");
                }))
                .transform(Transform.filter(v -> false))
                .transform(Transform.explode(v -> List.of()));

        StepVerifier.create(chain)
                .expectNext(failed)
                .verifyComplete();
    }

    @Test
    void accountingBalancesAcrossMapFilterAndExplode() {
        Pipeline pipeline = Pipeline.from(() -> Flux.just(item("[1, 2, 3]"), item("[]"), item("[4]"), item("\"x\"")))
                .then(Transform.explode(v -> v))
                .then(Transform.filter(v -> v.asInt() != 2))
                .then(Transform.map(v -> v.asInt() == 4 ? null : IntNode.valueOf(v.asInt() * 2)))
                .to(items -> items.count().map(SinkReport::new))
                .deadLetterTo(items -> items.count().map(SinkReport::new));

        StepVerifier.create(pipeline.run())
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(4);
                    assertThat(report.expanded()).isEqualTo(2);
                    assertThat(report.filtered()).isEqualTo(3);
                    assertThat(report.outputs()).isEqualTo(2);
                    assertThat(report.deadLetterReasons()).isEqualTo(Map.of("transform", 1L));
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
    }

    static Item item(String json) {
        return Item.of(json(json), ORIGIN);
    }

    static Item fetched(String json) {
        Metadata metadata = Metadata.of(ORIGIN)
                .withFetch("http://127.0.0.1:1/x.json", 200, Map.of(), 1, Duration.ofMillis(3));
        return Item.of(json(json), metadata);
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
