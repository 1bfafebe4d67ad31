package dev.sluice.jq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which expressions run without jq's builtin functions: only those that surely call none, and
 * every one of them gives what it gives with the builtins.
 */
class JqCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final JsonNode INPUT = json("{\"id\":7,\"title\":\"t\",\"score\":60,\"a\":1,\"k\":\"key\",\"v\":\"val\","
            + "\"author\":{\"name\":\"ann\"},\"items\":[1,2,{\"x\":3}],\"if\":\"kw\"}");

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The expression's outputs as jackson-jq gives them with every builtin loaded, or its error. */
    private static String withBuiltins(String text, JsonNode input) {
        Scope root = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
        List<JsonNode> out = new ArrayList<>();
        try {
            JsonQuery.compile(text, Versions.JQ_1_6).apply(Scope.newChildScope(root), input, out::add);
        } catch (JsonQueryException e) {
            return "error: " + e.getMessage();
        }
        return out.toString();
    }

    private static String outputs(JqExpression expression, JsonNode input) {
        try {
            return expression.outputs(input).toString();
        } catch (java.io.UncheckedIOException e) {
            return "error: " + e.getCause().getMessage();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ".score >= 50",
        "{id, title, author: .author.name}",
        "\"https://example.com/items/\\(.id).json?t=\\(.title)\"",
        ".items[]",
        ".items[1:] | .[0]",
        ".a = 1",
        ".a |= . + 1",
        "(.a, .score) = 0",
        ".items[0] += 5",
        "..",
        "[.. | .x?]",
        "reduce .items[] as $x (0; . + 1)",
        "foreach .items[] as $i (0; . + 1)",
        "if .a == 1 then \"one\" elif .a == 2 then \"two\" else null end",
        ".a and (.score or false)",
        "{(.k): .v}",
        "{\"quoted\": .a, if: .if, $__loc__}",
        ". as {a: $x, author: {name: $n}} | [$x, $n]",
        ". as [$first] | $first",
        "try .a catch \"x\"",
        "label $out | .a",
        ".a // \"default\"",
        ".missing?",
        "-(.a) * 2 / 4 % 3",
        "{} + {a: 1} * {b: {c: 2}}",
        "[1, 2] - [1]",
        ".title + \"#\" + \"# not a comment\" # a comment: length",
        "1e3 + 1.5E-2 + .a",
        ".author.name | . + \"\\\"quoted\\\"\"",
        "\"nested \\(\"inner \\(.id)\")\"",
        ".if",
        "$__loc__"
    })
    void anExpressionThatCallsNothingRunsWithoutTheBuiltinsAndGivesTheSame(String text) {
        JqExpression expression = JqExpression.compile(text);

        assertThat(JqCalls.mayCall(text)).as(text).isFalse();
        assertThat(expression.usesBuiltins()).isFalse();
        assertThat(outputs(expression, INPUT)).as(text).isEqualTo(withBuiltins(text, INPUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "length",
        ".items | length",
        "select(.a == 1)",
        "not",
        ".a | not",
        "empty",
        "try length catch 0",
        "try error(\"x\") catch .",
        "\"\\(length)\"",
        "\"outer \\(\"inner \\(keys)\")\"",
        "@base64",
        ".title | @uri",
        "{a: length}",
        "{a, b: keys}",
        "{(tostring): 1}",
        "[.items[] | numbers]",
        ". as $x | $x | to_entries",
        "def f: .a; f",
        "def f: length; f",
        "[limit(1; .items[])]",
        "path(.a)",
        "del(.a)",
        ". | . | map(.)",
        "[recurse]",
        ".items as [$x] | $x | tostring",
        "(.a | tostring) + \"x\"",
        ".a as $x | 1 | $x | tostring",
        "env",
        "input_line_number",
        "{a: 1} | keys",
        "[range(2)]",
        "ascii_downcase? // 1",
        "x::y",
        "{a: f, b}"
    })
    void anExpressionThatMayCallAFunctionRunsWithTheBuiltins(String text) {
        assertThat(JqCalls.mayCall(text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"length", "try length catch 0", "\"\\(keys)\"", "@base64", "{a: length}", "def f: length; f"})
    void anExpressionThatCallsAFunctionGivesWhatJqGives(String text) {
        JqExpression expression = JqExpression.compile(text);

        assertThat(expression.usesBuiltins()).isTrue();
        assertThat(outputs(expression, INPUT)).as(text).isEqualTo(withBuiltins(text, INPUT)).doesNotStartWith("error");
    }
}
