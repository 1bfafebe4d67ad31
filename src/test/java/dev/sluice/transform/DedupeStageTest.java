package dev.sluice.transform;

import static dev.sluice.transform.TransformTest.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.sluice.Item;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class DedupeStageTest {

    @Test
    void dedupeKeepsTheFirstItemOfEachKey() {
        Flux<Item> items = Flux.just(item("1"), item("2"), item("1"), item("3"), item("2"));

        StepVerifier.create(Transform.dedupe(JsonNode::asInt, 10).apply(items).map(Item::value))
                .expectNext(IntNode.valueOf(1), IntNode.valueOf(2), IntNode.valueOf(3))
                .verifyComplete();
    }

    @Test
    void evictedKeyPassesAgainAndRecentlySeenKeysStay() {
        Flux<Item> items = Flux.just(item("1"), item("2"), item("1"), item("3"), item("1"), item("2"));

        StepVerifier.create(Transform.dedupe(JsonNode::asInt, 2).apply(items).map(Item::value))
                .expectNext(IntNode.valueOf(1), IntNode.valueOf(2), IntNode.valueOf(3), IntNode.valueOf(2))
                .verifyComplete();
    }

    @Test
    void eachRunRemembersItsOwnKeys() {
        var stage = Transform.dedupe(JsonNode::asInt, 10);
        Flux<Item> items = stage.apply(Flux.just(item("1"), item("1")));

        StepVerifier.create(items).expectNextCount(1).verifyComplete();
        StepVerifier.create(items).expectNextCount(1).verifyComplete();
    }

    @Test
    void nullKeyFailsTheItemAndFailedItemsPassUntouched() {
        Item failed = item("9").fail("map", dev.sluice.Reason.TRANSFORM, "boom");

        StepVerifier.create(Transform.dedupe(v -> null, 10).apply(Flux.just(item("1"), failed)))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("dedupe function failed: returned null"))
                .expectNext(failed)
                .verifyComplete();
    }

    @Test
    void capacityMustBeAtLeastOne() {
        assertThatThrownBy(() -> Transform.dedupe(JsonNode::asInt, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be >= 1, was 0");
    }
}
