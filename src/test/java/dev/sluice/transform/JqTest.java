package dev.sluice.transform;

import static dev.sluice.transform.TransformTest.fetched;
import static dev.sluice.transform.TransformTest.item;
import static dev.sluice.transform.TransformTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.SinkReport;
import dev.sluice.Stage;
import dev.sluice.parse.Parse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class JqTest {

    @Test
    void mapProjectsFieldsAndKeepsTheMetadata() {
        Item in = fetched("{\"id\": 7, \"title\": \"Sluice\", \"score\": 99, \"by\": \"ann\"}");

        StepVerifier.create(Jq.map("{id, title}").apply(Flux.just(in)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(json("{\"id\":7,\"title\":\"Sluice\"}"));
                    assertThat(item.metadata()).isEqualTo(in.metadata());
                })
                .verifyComplete();
    }

    @Test
    void mapWithoutOutputDropsTheItem() {
        Stage stage = Jq.map("select(.score >= 50) | .id");

        StepVerifier.create(stage.apply(Flux.just(item("{\"id\":1,\"score\":10}"), item("{\"id\":2,\"score\":60}"))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(2)))
                .verifyComplete();
    }

    @Test
    void mapWithSeveralOutputsFailsAndPointsToExplode() {
        StepVerifier.create(Jq.map(".[]").apply(Flux.just(item("[1, 2, 3]"))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.stage()).isEqualTo("map");
                    assertThat(failure.reason()).isEqualTo(Reason.TRANSFORM);
                    assertThat(failure.message()).isEqualTo("map '.[]' failed: produced 3 values; use explode");
                })
                .verifyComplete();
    }

    @Test
    void runtimeErrorFailsTheItemNamingTheExpression() {
        StepVerifier.create(Jq.map(".a + 1").apply(Flux.just(item("\"hello\""), item("{\"a\": 1}"))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.TRANSFORM);
                    assertThat(failure.message())
                            .isEqualTo("map '.a + 1' failed: Cannot index string with string \"a\"");
                    assertThat(failure.value()).isEqualTo(json("\"hello\""));
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(IntNode.valueOf(2)))
                .verifyComplete();
    }

    @Test
    void userErrorMessageBecomesTheFailureDetail() {
        StepVerifier.create(Jq.filter("if .ok then true else error(\"not ok\") end").apply(Flux.just(item("{}"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("filter 'if .ok then true else error(\"not ok\") end' failed: not ok"))
                .verifyComplete();
    }

    @Test
    void filterKeepsItemsWhoseOutputIsTruthy() {
        Stage stage = Jq.filter(".flag");

        StepVerifier.create(stage.apply(Flux.just(
                        item("{\"id\":1,\"flag\":true}"),
                        item("{\"id\":2,\"flag\":false}"),
                        item("{\"id\":3,\"flag\":null}"),
                        item("{\"id\":4}"),
                        item("{\"id\":5,\"flag\":0}"),
                        item("{\"id\":6,\"flag\":\"\"}")))
                        .map(item -> item.value().path("id").asInt()))
                .expectNext(1, 5, 6)
                .verifyComplete();
    }

    @Test
    void filterKeepsAnItemOnceWhenAnyOfSeveralOutputsIsTruthy() {
        Stage stage = Jq.filter(".tags[] == \"rust\"");

        StepVerifier.create(stage.apply(Flux.just(
                        item("{\"id\":1,\"tags\":[\"rust\",\"go\"]}"),
                        item("{\"id\":2,\"tags\":[\"go\",\"rust\",\"rust\"]}"),
                        item("{\"id\":3,\"tags\":[\"go\"]}"),
                        item("{\"id\":4,\"tags\":[]}")))
                        .map(item -> item.value().path("id").asInt()))
                .expectNext(1, 2)
                .verifyComplete();
    }

    @Test
    void filterWithSelectDropsItemsWithoutOutput() {
        Stage stage = Jq.filter("select(.score >= 50)");

        StepVerifier.create(stage.apply(Flux.just(item("{\"score\":49}"), item("{\"score\":50}")))
                        .map(item -> item.value().path("score").asInt()))
                .expectNext(50)
                .verifyComplete();
    }

    @Test
    void explodeEmitsOneItemPerOutput() {
        Item in = fetched("{\"items\": [{\"id\": 1}, {\"id\": 2}]}");

        StepVerifier.create(Jq.explode(".items[]").apply(Flux.just(in)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(json("{\"id\":1}"));
                    assertThat(item.metadata()).isEqualTo(in.metadata());
                })
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"id\":2}")))
                .verifyComplete();
    }

    @Test
    void explodeOfAnArrayAndOfNothing() {
        StepVerifier.create(Jq.explode(".[]").apply(Flux.just(item("[1, 2]"), item("[]"), item("[3]"))))
                .expectNextMatches(item -> item.value().asInt() == 1)
                .expectNextMatches(item -> item.value().asInt() == 2)
                .expectNextMatches(item -> item.value().asInt() == 3)
                .verifyComplete();
    }

    @Test
    void explodeErrorFailsTheWholeItem() {
        StepVerifier.create(Jq.explode(".[] | .id").apply(Flux.just(item("[{\"id\":1}, 2]"))))
                .assertNext(item -> {
                    assertThat(item.failure().orElseThrow().stage()).isEqualTo("explode");
                    assertThat(item.failure().orElseThrow().message()).startsWith("explode '.[] | .id' failed: ");
                })
                .verifyComplete();
    }

    @Test
    void failedItemsPassThroughUntouched() {
        Item failed = item("{}").fail("fetch", Reason.CONNECT, "connection refused");
        Flux<Item> chain = Flux.just(failed)
                .transform(Jq.map("error(\"must not run\")"))
                .transform(Jq.filter("false"))
                .transform(Jq.explode("empty"));

        StepVerifier.create(chain)
                .expectNext(failed)
                .verifyComplete();
    }

    @Test
    void invalidExpressionIsRejectedWhenTheStageIsCreated() {
        assertThatThrownBy(() -> Jq.map(".["))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid jq expression '.[': Encountered \"<EOF>\" at line 1, column 2.");
        assertThatThrownBy(() -> Jq.filter("{id,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid jq expression '{id,': ");
        assertThatThrownBy(() -> Jq.explode("1 +* 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid jq expression '1 +* 2': ");
    }

    @Test
    void checkAcceptsValidExpressionsAndRejectsInvalidOnes() {
        assertThatCode(() -> Jq.check(".items[] | {id, title} | select(.id > 1)")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Jq.check("if . then 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid jq expression 'if . then 1': Encountered");
    }

    @Test
    void variablesBoundForOneItemDoNotLeakIntoTheNext() {
        Stage stage = Jq.map(". as $x | $x * 2");

        StepVerifier.create(stage.apply(Flux.just(item("1"), item("5"))).map(item -> item.value().asInt()))
                .expectNext(2, 10)
                .verifyComplete();
    }

    @Test
    void oneStageEvaluatesItemsFromManyThreadsAtOnce() {
        Stage stage = Jq.map("{n: (.n * 2)} | .n");
        Flux<Integer> doubled = Flux.range(0, 2000)
                .flatMap(i -> Flux.just(item("{\"n\":" + i + "}"))
                        .publishOn(Schedulers.parallel())
                        .transform(stage), 16)
                .map(item -> item.value().asInt());

        StepVerifier.create(doubled.reduce(0L, Long::sum))
                .expectNext(2L * (1999L * 2000L / 2))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void accountingBalancesThroughParseExplodeFilterAndMap() {
        String page1 = "{\"items\": [{\"id\":1,\"title\":\"a\",\"score\":80}, {\"id\":2,\"title\":\"b\",\"score\":10},"
                + " {\"id\":3,\"title\":\"c\",\"score\":\"high\"}]}";
        String page2 = "{\"items\": []}";
        String page4 = "{\"items\": [{\"id\":4,\"score\":50}]}";
        Pipeline pipeline = Pipeline.from(() -> Flux.just(page1, page2, "not json", page4)
                        .index((i, body) -> Item.ofText(body, Origin.of("pages", i + 1))))
                .then(Parse.json())
                .then(Jq.explode(".items[]"))
                .then(Jq.filter(".score >= 50 and (.score | type) == \"number\""))
                .then(Jq.map("{id, title}"));

        StepVerifier.create(pipeline.results()
                        .filter(item -> !item.isFailure())
                        .map(item -> item.value().path("id").asInt()))
                .expectNext(1, 4)
                .verifyComplete();
        StepVerifier.create(pipeline.to(items -> items.count().map(SinkReport::new))
                        .deadLetterTo(items -> items.count().map(SinkReport::new))
                        .run())
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(4);
                    assertThat(report.expanded()).isEqualTo(2);
                    assertThat(report.filtered()).isEqualTo(3);
                    assertThat(report.outputs()).isEqualTo(2);
                    assertThat(report.deadLetterReasons()).isEqualTo(Map.of("parse", 1L));
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void setAssignsAPathFromAnExpressionOverTheItem() {
        Item in = fetched("{\"price\": 2.5, \"qty\": 4}");

        StepVerifier.create(Jq.set(".total", ".price * .qty").apply(Flux.just(in)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(json("{\"price\":2.5,\"qty\":4,\"total\":10}"));
                    assertThat(item.metadata()).isEqualTo(in.metadata());
                })
                .verifyComplete();
    }

    @Test
    void setCreatesMissingObjectsOnANestedPath() {
        StepVerifier.create(Jq.set(".meta.source", "\"api\"").apply(Flux.just(item("{\"id\": 1}"))))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"id\":1,\"meta\":{\"source\":\"api\"}}")))
                .verifyComplete();
    }

    @Test
    void setRuntimeErrorFailsTheItemNamingPathAndExpression() {
        StepVerifier.create(Jq.set(".total", ".price * .qty").apply(Flux.just(item("{\"price\": \"x\", \"qty\": {}}"))))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.stage()).isEqualTo("set");
                    assertThat(failure.reason()).isEqualTo(Reason.TRANSFORM);
                    assertThat(failure.message()).startsWith("set '.total' to '.price * .qty' failed: ");
                })
                .verifyComplete();
    }

    @Test
    void setExpressionMustProduceExactlyOneValue() {
        Flux<Item> items = Flux.just(item("{\"tags\": [1, 2]}"), item("{\"tags\": []}"));

        StepVerifier.create(Jq.set(".tag", ".tags[]").apply(items))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("set '.tag' to '.tags[]' failed: produced 2 values; it must produce exactly one"))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("set '.tag' to '.tags[]' failed: produced no value; it must produce exactly one"))
                .verifyComplete();
    }

    @Test
    void setRejectsAnInvalidPathOrExpressionAtAssembly() {
        assertThatThrownBy(() -> Jq.set(".[", ".a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid jq expression '.[': ");
        assertThatThrownBy(() -> Jq.set(".a", ".b +"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid jq expression '.b +': ");
    }

    @Test
    void dedupeDropsItemsWhoseKeyWasSeenAndCountsThemFiltered() {
        Flux<Item> items = Flux.just(item("{\"id\": 1, \"v\": \"a\"}"), item("{\"id\": 2}"),
                item("{\"id\": 1, \"v\": \"b\"}"), item("{\"id\": {\"x\": 1, \"y\": 2}}"),
                item("{\"id\": {\"y\": 2, \"x\": 1}}"));

        StepVerifier.create(Pipeline.from(() -> items).then(Jq.dedupe(".id", 100))
                        .to(out -> out.count().map(SinkReport::new)).run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(3);
                    assertThat(report.filtered()).isEqualTo(2);
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void dedupeKeyErrorsFailTheItem() {
        StepVerifier.create(Jq.dedupe(".ids[]", 10).apply(Flux.just(item("{\"ids\": [1, 2]}"), item("5"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("dedupe '.ids[]' failed: produced 2 values; it must produce exactly one"))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("dedupe '.ids[]' failed: Cannot index number with"))
                .verifyComplete();
    }
}
