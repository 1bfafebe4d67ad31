package dev.sluice.transform;

import static dev.sluice.transform.TransformTest.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunReport;
import dev.sluice.SinkReport;
import dev.sluice.parse.Parse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class LimitStageTest {

    @Test
    void limitPassesTheFirstGoodItemsAndFailuresThenCompletes() {
        Item failed = item("0").fail("fetch", Reason.HTTP_STATUS, "GET returned 404", 404, 1, "http://h/0");
        Flux<Item> items = Flux.just(item("1"), failed, item("2"), item("3"), item("4"));

        StepVerifier.create(Transform.limit(2).apply(items).map(Item::value))
                .expectNext(IntNode.valueOf(1), failed.value(), IntNode.valueOf(2))
                .verifyComplete();
    }

    @Test
    void limitStopsReadingTheSource() {
        AtomicLong read = new AtomicLong();
        Flux<Item> endless = Flux.range(1, Integer.MAX_VALUE)
                .map(n -> Item.of(IntNode.valueOf(n), Origin.of("range", n)))
                .doOnNext(item -> read.incrementAndGet());

        StepVerifier.create(Transform.limit(3).apply(endless))
                .expectNextCount(3)
                .verifyComplete();

        assertThat(read).hasValue(3);
    }

    @Test
    void limitedRunBalancesWhenItemsUpstreamAreDropped() {
        AtomicLong read = new AtomicLong();
        Flux<Item> bodies = Flux.range(1, 1_000)
                .map(n -> Item.ofText("{\"items\": [" + n + ", " + n + ", " + n + "]}", Origin.of("bodies", n)))
                .doOnNext(item -> read.incrementAndGet());

        StepVerifier.create(Pipeline.from(() -> bodies)
                        .then(Parse.split("/items"))
                        .then(Jq.explode("[., . * 10][]"))
                        .then(Jq.filter(". % 2 == 0 or . > 100"))
                        .then(Transform.limit(7))
                        .to(items -> items.count().map(SinkReport::new))
                        .run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(7);
                    assertThat(report.inputs()).isEqualTo(read.get()).isLessThan(100);
                    assertThat(report).extracting(RunReport::isBalanced).as(report.toJson().toString()).isEqualTo(true);
                })
                .verifyComplete();
    }

    @Test
    void limitedRunBalancesWhenItCutsANdjsonBodyShort() {
        Flux<Item> bodies = Flux.just(Item.of(TextNode.valueOf("1\n2\n3\n4\n5\n"), Origin.of("b", 1)),
                Item.of(TextNode.valueOf("6\n7\n"), Origin.of("b", 2)));

        StepVerifier.create(Pipeline.from(() -> bodies)
                        .then(Parse.ndjson())
                        .then(Transform.limit(2))
                        .to(items -> items.count().map(SinkReport::new))
                        .run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(2);
                    assertThat(report).extracting(RunReport::isBalanced).as(report.toJson().toString()).isEqualTo(true);
                })
                .verifyComplete();
    }

    @Test
    void limitRejectsLessThanOne() {
        assertThatThrownBy(() -> Transform.limit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be >= 1, was 0");
    }
}
