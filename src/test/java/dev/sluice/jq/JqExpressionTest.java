package dev.sluice.jq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class JqExpressionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void outputsListsEveryValueInOrder() {
        JqExpression items = JqExpression.compile(".items[]");

        assertThat(items.outputs(json("{\"items\":[1,2,3]}"))).containsExactly(json("1"), json("2"), json("3"));
    }

    @Test
    void singleRefusesNoOutputAndSeveral() {
        JqExpression items = JqExpression.compile(".[]");

        assertThat(items.single(json("[5]"))).isEqualTo(json("5"));
        assertThatThrownBy(() -> items.single(json("[]")))
                .isInstanceOf(IllegalStateException.class).hasMessage("produced no value; it must produce exactly one");
        assertThatThrownBy(() -> items.single(json("[1,2]")))
                .hasMessage("produced 2 values; it must produce exactly one");
    }

    @Test
    void testIsJqTruthiness() {
        JqExpression score = JqExpression.compile(".score");

        assertThat(score.test(json("{\"score\":0}"))).isTrue();
        assertThat(score.test(json("{\"score\":false}"))).isFalse();
        assertThat(score.test(json("{}"))).isFalse();
        assertThat(JqExpression.compile("empty").test(json("1"))).isFalse();
    }

    @Test
    void charactersBeyondTheBasicPlaneSurviveImplodeAndTheCaseFunctions() {
        JsonNode value = json("{\"s\":\"\u00e9\ud83d\ude00x\"}");

        assertThat(JqExpression.compile("[(.s|ascii_upcase), (.s|explode|implode), ([128512]|implode), (.s|ascii_downcase)]")
                .single(value))
                .isEqualTo(json("[\"\u00e9\ud83d\ude00X\", \"\u00e9\ud83d\ude00x\", \"\ud83d\ude00\", \"\u00e9\ud83d\ude00x\"]"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JqExpression.compile("[1114112] | implode").single(json("null"))))
                .hasMessageContaining("code points");
    }

    @Test
    void testHoldsWhenAnyOutputIsTruthy() {
        assertThat(JqExpression.compile("false, true").test(json("1"))).isTrue();
        assertThat(JqExpression.compile("true, false").test(json("1"))).isTrue();
        assertThat(JqExpression.compile("false, null").test(json("1"))).isFalse();
        JqExpression rust = JqExpression.compile(".tags[] == \"rust\"");
        assertThat(rust.test(json("{\"tags\":[\"go\",\"rust\"]}"))).isTrue();
        assertThat(rust.test(json("{\"tags\":[\"go\",\"java\"]}"))).isFalse();
        assertThat(rust.test(json("{\"tags\":[]}"))).isFalse();
    }

    @Test
    void textRendersAStringTemplate() {
        JqExpression url = JqExpression.compile("\"https://api.example.com/items/\\(.id)?by=\\(.by)\"");

        assertThat(url.text(json("{\"id\":7,\"by\":\"ann\"}"))).isEqualTo("https://api.example.com/items/7?by=ann");
        assertThat(JqExpression.compile("\"https://hn.example/v0/item/\\(.).json\"").text(json("42")))
                .isEqualTo("https://hn.example/v0/item/42.json");
    }

    @Test
    void textRefusesAValueThatIsNotAString() {
        assertThatThrownBy(() -> JqExpression.compile(".id").text(json("{\"id\":7}")))
                .isInstanceOf(IllegalStateException.class).hasMessage("produced a number (7); it must produce a string");
        assertThatThrownBy(() -> JqExpression.compile(".id").text(json("{}")))
                .hasMessage("produced null; it must produce a string");
        assertThatThrownBy(() -> JqExpression.compile(".tags").text(json("{\"tags\":[1]}")))
                .hasMessage("produced an array ([1]); it must produce a string");
    }

    @Test
    void invalidExpressionIsRejectedWithJqsMessage() {
        assertThatThrownBy(() -> JqExpression.compile(".["))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid jq expression '.[': ");
        assertThatThrownBy(() -> JqExpression.compile(null)).hasMessage("jq expression must not be null");
    }

    @Test
    void runtimeErrorIsWrappedAndDetailUnwrapsIt() {
        JqExpression sum = JqExpression.compile(".a + 1");

        assertThatThrownBy(() -> sum.outputs(json("{\"a\":\"x\"}")))
                .isInstanceOf(UncheckedIOException.class)
                .satisfies(e -> assertThat(JqExpression.detail((RuntimeException) e)).contains("cannot be added"));
    }

    @Test
    void assignPutsAValueAtAPathAndLeavesTheTargetAlone() {
        JsonNode target = json("{\"id\":1,\"meta\":{\"a\":1}}");

        JsonNode changed = JqExpression.path(".meta.author").assign(target, json("{\"name\":\"ann\"}"));

        assertThat(changed).isEqualTo(json("{\"id\":1,\"meta\":{\"a\":1,\"author\":{\"name\":\"ann\"}}}"));
        assertThat(target).isEqualTo(json("{\"id\":1,\"meta\":{\"a\":1}}"));
        assertThat(JqExpression.path(".x.y").assign(json("{}"), json("2"))).isEqualTo(json("{\"x\":{\"y\":2}}"));
    }

    @Test
    void assignNeedsAPathExpression() {
        assertThatThrownBy(() -> JqExpression.compile(".a").assign(json("{}"), json("1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("use JqExpression.path");
        assertThatThrownBy(() -> JqExpression.path("1 + 1").assign(json("{}"), json("1")))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void subjectAndSourceNameTheExpression() {
        JqExpression e = JqExpression.compile(".id");

        assertThat(e.subject()).isEqualTo("'.id'");
        assertThat(e.source()).isEqualTo(".id");
    }
}
