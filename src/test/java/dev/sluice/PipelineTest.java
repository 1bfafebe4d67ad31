package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;
import reactor.test.StepVerifier;

class PipelineTest {

    private static final Stage FAIL_ODD = items -> items.map(item -> item.value().asInt() % 2 == 1
            ? item.fail("test", Reason.TRANSFORM, "odd " + item.value())
            : item);

    private static Source numbers(int count, AtomicLong requested) {
        return () -> Flux.range(1, count)
                .doOnRequest(n -> requested.addAndGet(Math.min(n, count)))
                .map(i -> Item.of(IntNode.valueOf(i), Origin.of("numbers", i)));
    }

    @Test
    void nothingHappensUntilSubscription() {
        AtomicInteger subscriptions = new AtomicInteger();
        Source source = () -> Flux.<Item>empty().doOnSubscribe(s -> subscriptions.incrementAndGet());

        Flux<Item> items = Pipeline.from(source).then(FAIL_ODD).items();

        assertThat(subscriptions).hasValue(0);
        StepVerifier.create(items).verifyComplete();
        assertThat(subscriptions).hasValue(1);
    }

    @Test
    void itemsEmitsGoodItemsAndRoutesFailuresToTheDeadLetterSink() {
        List<Item> dead = new CopyOnWriteArrayList<>();
        Sink deadSink = items -> items.doOnNext(dead::add).count().map(SinkReport::new);

        Flux<Integer> good = Pipeline.from(numbers(6, new AtomicLong()))
                .then(FAIL_ODD)
                .deadLetterTo(deadSink)
                .items()
                .map(item -> item.value().asInt());

        StepVerifier.create(good).expectNext(2, 4, 6).verifyComplete();
        assertThat(dead).extracting(item -> item.failure().orElseThrow().message())
                .containsExactly("odd 1", "odd 3", "odd 5");
    }

    @Test
    void resultsIncludeFailedItemsInOrder() {
        Flux<Boolean> failed = Pipeline.from(numbers(4, new AtomicLong())).then(FAIL_ODD).results().map(Item::isFailure);

        StepVerifier.create(failed).expectNext(true, false, true, false).verifyComplete();
    }

    @Test
    void runReportsAndBalances() {
        Sink count = items -> items.count().map(SinkReport::new);

        StepVerifier.create(Pipeline.from(numbers(5, new AtomicLong())).then(FAIL_ODD).to(count).deadLetterTo(count).run())
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(5);
                    assertThat(report.outputs()).isEqualTo(2);
                    assertThat(report.deadLettered()).isEqualTo(3);
                    assertThat(report.deadLetterReasons()).containsEntry("transform", 3L);
                    assertThat(report.isBalanced()).isTrue();
                    assertThat(report.toJson().get("dead_lettered").asLong()).isEqualTo(3);
                })
                .verifyComplete();
    }

    @Test
    void runWithoutSinkIsRefused() {
        Pipeline pipeline = Pipeline.from(numbers(1, new AtomicLong()));

        assertThatThrownBy(pipeline::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("to(sink)");
    }

    @Test
    void slowSubscriberBoundsWhatIsReadAhead() {
        AtomicLong requested = new AtomicLong();

        StepVerifier.create(Pipeline.from(numbers(100_000, requested)).items(), 0)
                .thenRequest(1)
                .expectNextCount(1)
                .then(() -> assertThat(requested.get()).isLessThanOrEqualTo(64))
                .thenCancel()
                .verify();
    }

    @Test
    void cancellingItemsCancelsTheDeadLetterSink() {
        List<SignalType> deadSignals = new CopyOnWriteArrayList<>();
        Sink deadSink = items -> items.doFinally(deadSignals::add).count().map(SinkReport::new);
        Source endless = () -> Flux.range(1, Integer.MAX_VALUE)
                .map(i -> Item.of(IntNode.valueOf(i), Origin.of("endless", i)));

        StepVerifier.create(Pipeline.from(endless).then(FAIL_ODD).deadLetterTo(deadSink).items().take(3))
                .expectNextCount(3)
                .verifyComplete();

        assertThat(deadSignals).containsExactly(SignalType.CANCEL);
    }

    @Test
    void stopEndsTheSourceAndLetsReadItemsFinish() {
        RunContext context = new RunContext();
        Sink count = items -> items.count().map(SinkReport::new);
        Stage stopAfterThree = items -> items.doOnNext(item -> {
            if (item.value().asInt() == 3) {
                context.stop();
            }
        });

        StepVerifier.create(Pipeline.from(numbers(1000, new AtomicLong())).then(stopAfterThree).to(count).run(context))
                .assertNext(report -> {
                    assertThat(report.inputs()).isBetween(3L, 40L);
                    assertThat(report.outputs()).isEqualTo(report.inputs());
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void abortCutsItemsInFlightButSinksStillComplete() {
        RunContext context = new RunContext();
        List<SignalType> sinkSignals = new CopyOnWriteArrayList<>();
        Sink count = items -> items.doFinally(sinkSignals::add).count().map(SinkReport::new);
        Stage slow = items -> items.concatMap(item -> item.value().asInt() == 2
                ? reactor.core.publisher.Mono.<Item>never().doOnSubscribe(s -> context.abort())
                : reactor.core.publisher.Mono.just(item));

        StepVerifier.create(Pipeline.from(numbers(10, new AtomicLong())).then(slow).to(count).run(context))
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(1);
                    assertThat(report.isBalanced()).isFalse();
                })
                .verifyComplete();
        assertThat(sinkSignals).containsExactly(SignalType.ON_COMPLETE);
    }
}
