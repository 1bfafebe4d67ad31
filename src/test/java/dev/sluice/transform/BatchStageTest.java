package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.ConfigException;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.RunReport;
import dev.sluice.SinkReport;
import dev.sluice.Stage;
import dev.sluice.sink.Outputs;
import dev.sluice.state.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class BatchStageTest {

    private static final BatchOptions LONG_WINDOW = BatchOptions.DEFAULTS.withWindow(Duration.ofHours(1));

    @TempDir
    Path dir;

    private static Item number(long n) {
        return Item.of(IntNode.valueOf((int) n), Origin.of("numbers", n));
    }

    private static Flux<Item> numbers(int count) {
        return Flux.range(1, count).map(BatchStageTest::number);
    }

    private static Item failed(long n) {
        return number(n).fail("fetch", Reason.HTTP_STATUS, "GET returned 404", 404, 1, "http://h/" + n);
    }

    @Test
    void batchGroupsGoodItemsBySizeIntoJsonArraysThatNameTheirMembers() {
        Stage batch = Transform.batch(LONG_WINDOW.withSize(2));

        StepVerifier.create(batch.apply(numbers(5)))
                .assertNext(item -> {
                    assertThat(item.value()).hasToString("[1,2]");
                    assertThat(item.origin()).isEqualTo(Origin.of("numbers", 1));
                    assertThat(item.metadata().members()).containsExactly(Origin.of("numbers", 1), Origin.of("numbers", 2));
                })
                .assertNext(item -> assertThat(item.value()).hasToString("[3,4]"))
                .assertNext(item -> assertThat(item.metadata().origins()).containsExactly(Origin.of("numbers", 5)))
                .verifyComplete();
    }

    @Test
    void batchClosesBeforeTheItemThatWouldTakeItOverTheByteLimit() {
        // "10" is 2 bytes: [10,10,10] is 10 bytes, a fourth would make 13.
        Flux<Item> items = Flux.range(1, 7).map(n -> Item.of(IntNode.valueOf(10), Origin.of("tens", n)))
                .concatWith(Flux.just(Item.of(TextNode.valueOf("far too long for ten bytes"), Origin.of("tens", 8))));

        StepVerifier.create(Transform.batch(LONG_WINDOW.withBytes(10)).apply(items).map(item -> item.value().toString()))
                .expectNext("[10,10,10]", "[10,10,10]", "[10]", "[\"far too long for ten bytes\"]")
                .verifyComplete();
    }

    @Test
    void batchClosesWhenItsFirstItemHasWaitedTheWindow() {
        StepVerifier.withVirtualTime(() -> Transform.batch(BatchOptions.DEFAULTS.withWindow(Duration.ofSeconds(5)))
                        .apply(Flux.just(number(1), number(2))
                                .concatWith(Flux.just(number(3)).delaySubscription(Duration.ofSeconds(7))))
                        .map(item -> item.value().toString()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(4_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("[1,2]")
                .expectNoEvent(Duration.ofSeconds(2))
                .expectNext("[3]")
                .verifyComplete();
    }

    @Test
    void failedItemsPassAtOnceUnbatched() {
        StepVerifier.withVirtualTime(() -> Transform.batch(BatchOptions.DEFAULTS.withWindow(Duration.ofSeconds(5)))
                        .apply(Flux.just(number(1), failed(2), number(3)).concatWith(Flux.never())))
                .expectSubscription()
                .assertNext(item -> assertThat(item.failure()).get().extracting(f -> f.origin().line()).isEqualTo(2L))
                .expectNoEvent(Duration.ofMillis(4_999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(item -> assertThat(item.value()).hasToString("[1,3]"))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aBatchedRunBalancesWithTheMergedItemsCounted() {
        StepVerifier.create(Pipeline.from(() -> numbers(10).concatWith(Flux.just(failed(11))))
                        .then(Transform.batch(LONG_WINDOW.withSize(4)))
                        .to(items -> items.count().map(SinkReport::new))
                        .run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(3);
                    assertThat(report.merged()).isEqualTo(7);
                    assertThat(report.deadLettered()).isEqualTo(1);
                    assertThat(report).extracting(RunReport::isBalanced).as(report.toJson().toString()).isEqualTo(true);
                    assertThat(report.summary()).startsWith("11 inputs -> 3 outputs (7 items merged into batches), 0 filtered");
                    assertThat(report.toJson().get("merged").asLong()).isEqualTo(7);
                })
                .verifyComplete();
    }

    @Test
    void aBatchExplodedAgainBalancesAndFinishesEachMemberOnce() {
        Pipeline pipeline = Pipeline.from(() -> numbers(9))
                .then(Transform.batch(LONG_WINDOW.withSize(4)))
                .then(Jq.explode(".[]"))
                .to(Outputs.ndjson(dir.resolve("out.ndjson")));

        RunReport report = resumable(pipeline);

        assertThat(report.outputs()).isEqualTo(9);
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
        assertThat(finishedInputs()).isEqualTo(9);
    }

    @Test
    void aResumableRunFinishesEveryMemberOnceTheirBatchIsWrittenOrDeadLettered() throws IOException {
        Pipeline pipeline = Pipeline.from(() -> numbers(25))
                .then(Transform.batch(LONG_WINDOW.withSize(4)))
                .then(Transform.map(v -> {
                    if (v.get(0).asInt() == 9) {
                        throw new IllegalStateException("the batch starting at 9 is refused");
                    }
                    return v;
                }))
                .to(Outputs.ndjson(dir.resolve("out.ndjson")))
                .deadLetterTo(Outputs.deadLetters(dir.resolve("errors.ndjson")));

        RunReport first = resumable(pipeline);

        assertThat(first.outputs()).isEqualTo(6);
        assertThat(first.deadLettered()).isEqualTo(1);
        assertThat(first.isBalanced()).as(first.toJson().toString()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("out.ndjson"))).hasSize(6).first().isEqualTo("[1,2,3,4]");
        assertThat(finishedInputs()).isEqualTo(25);
        // the one dead letter names all four inputs of its batch, not only the first
        List<String> errors = Files.readAllLines(dir.resolve("errors.ndjson"));
        assertThat(errors).hasSize(1);
        JsonNode deadLetter = new ObjectMapper().readTree(errors.get(0));
        assertThat(deadLetter.path("origin").path("line").asLong()).isEqualTo(9);
        assertThat(deadLetter.path("members").findValuesAsText("line")).containsExactly("9", "10", "11", "12");
        assertThat(deadLetter.path("value")).hasToString("[9,10,11,12]");
        assertThat(deadLetter.fieldNames()).toIterable().startsWith("origin", "members", "stage");

        RunReport second = resumable(pipeline);

        assertThat(second.inputs()).isZero();
        assertThat(second.skipped()).isEqualTo(25);
        assertThat(Files.readAllLines(dir.resolve("out.ndjson"))).hasSize(6);
    }

    @Test
    void batchSpecTakesASizeShorthandAndNeedsAtLeastOneLimit() {
        assertThat(TransformSpecs.BATCH.parse("100")).hasToString(
                "BatchStage[" + BatchOptions.DEFAULTS.withSize(100) + "]");
        assertThat(TransformSpecs.BATCH.parse("{bytes: 64KB, window: 5s}")).hasToString(
                "BatchStage[" + new BatchOptions(500, 65_536, Duration.ofSeconds(5)) + "]");

        assertThatThrownBy(() -> TransformSpecs.BATCH.parse("{}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("batch takes at least one of size, bytes or window");
        assertThatThrownBy(() -> TransformSpecs.BATCH.parse("{size: 0}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("size must be >= 1 and <= 100000, was 0");
    }

    @Test
    void optionsRejectWhatCannotBatch() {
        assertThatThrownBy(() -> BatchOptions.DEFAULTS.withWindow(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window must be > 0, was PT0S");
        assertThatThrownBy(() -> BatchOptions.DEFAULTS.withBytes(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytes must be >= 2, was 1");
    }

    private RunReport resumable(Pipeline pipeline) {
        try (RunState state = RunState.open(dir.resolve("state"), "batch-test", false)) {
            return pipeline.run(new RunContext().follow(state)).block(Duration.ofSeconds(10));
        }
    }

    private long finishedInputs() {
        try (RunState state = RunState.open(dir.resolve("state"), "batch-test", false)) {
            return state.finishedEarlier();
        }
    }

}
