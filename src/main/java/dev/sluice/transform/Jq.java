package dev.sluice.transform;

import dev.sluice.Stage;
import dev.sluice.jq.JqExpression;
import java.util.List;

/**
 * Creates transform stages from jq expressions (jq 1.6 dialect, via jackson-jq).
 *
 * <p>The expression is compiled once, when the stage is created; an invalid one throws
 * {@link IllegalArgumentException} right away ({@code "invalid jq expression '.[': ..."}). Each good
 * item is then evaluated in a fresh scope. A runtime error fails that one item with
 * {@link dev.sluice.Reason#TRANSFORM} and a message naming the step and expression, such as
 * {@code "map '.a + 1' failed: ..."}; failed items pass through untouched, and outputs keep the
 * item's metadata. Evaluation runs on the thread that delivers the item, without a scheduler hop.
 */
public final class Jq {

    private static final String SET = "set";

    private Jq() {}

    /**
     * Returns a stage that replaces each value with the output of {@code expression}, e.g.
     * {@code "{id, title}"}. No output drops the item (counted as filtered); more than one fails it
     * ({@code "map '.[]' failed: produced 3 values; use explode"}).
     *
     * @param expression a jq expression
     * @return a new stage
     * @throws IllegalArgumentException when the expression does not compile
     */
    public static Stage map(String expression) {
        JqExpression jq = JqExpression.compile(expression);
        return new MapStage(jq.subject(), jq::outputs);
    }

    /**
     * Returns a stage that keeps the items for which any output of {@code expression} is truthy
     * (neither {@code null} nor {@code false}), e.g. {@code ".score >= 50"}, or {@code '.tags[] ==
     * "rust"'} for an item with any tag {@code "rust"}; a kept item passes once. An expression with no
     * output, such as {@code "select(.score >= 50)"} on a low score, drops the item too. Dropped items
     * are counted as filtered.
     *
     * @param expression a jq expression
     * @return a new stage
     * @throws IllegalArgumentException when the expression does not compile
     */
    public static Stage filter(String expression) {
        JqExpression jq = JqExpression.compile(expression);
        return new FilterStage(jq.subject(), jq::test);
    }

    /**
     * Returns a stage that turns each item into one item per output of {@code expression}, in order,
     * e.g. {@code ".items[]"}. {@code n > 0} outputs add {@code n - 1} to the run's {@code expanded}
     * count; none counts the item as filtered. One item's outputs are collected before the first is
     * emitted.
     *
     * @param expression a jq expression
     * @return a new stage
     * @throws IllegalArgumentException when the expression does not compile
     */
    public static Stage explode(String expression) {
        JqExpression jq = JqExpression.compile(expression);
        return new ExplodeStage(jq.subject(), jq::outputs);
    }

    /**
     * Returns a stage that assigns the output of {@code expression}, evaluated over the whole item, to
     * {@code path} in the item, e.g. {@code set(".total", ".price * .qty")} turns
     * {@code {"price":2,"qty":3}} into {@code {"price":2,"qty":3,"total":6}}. Missing objects on the
     * path are created, as jq's {@code =} does. The expression must produce exactly one value: none or
     * several fail the item, and so does a runtime error, with a message naming both
     * ({@code "set '.total' to '.price * .qty' failed: ..."}).
     *
     * @param path a jq path expression, e.g. {@code ".total"} or {@code ".meta.source"}
     * @param expression a jq expression over the item
     * @return a new stage
     * @throws IllegalArgumentException when either does not compile
     */
    public static Stage set(String path, String expression) {
        JqExpression target = JqExpression.compile(path);
        JqExpression value = JqExpression.compile(expression);
        JqExpression assignment = JqExpression.compile("(" + path + ") = (" + expression + ")");
        String subject = target.subject() + " to " + value.subject();
        return new MapStage(SET, subject, item -> List.of(assignment.single(item)));
    }

    /**
     * Returns a stage that drops items whose key, the one output of {@code keyExpression} (e.g.
     * {@code ".id"}), was already seen, counting them as filtered. Memory is bounded: at most
     * {@code capacity} keys are remembered per run, and when a new key would exceed that, the least
     * recently seen key is forgotten, so a later item with an evicted key passes again. Keys compare
     * as JSON values ({@code {"a":1,"b":2}} equals {@code {"b":2,"a":1}}; {@code 1} and {@code 1.0}
     * differ). An expression with no output or several, or a runtime error, fails the item.
     *
     * @param keyExpression a jq expression computing the key
     * @param capacity how many distinct keys to remember, at least 1
     * @return a new stage
     * @throws IllegalArgumentException when the expression does not compile or capacity is below 1
     */
    public static Stage dedupe(String keyExpression, int capacity) {
        JqExpression key = JqExpression.compile(keyExpression);
        return new DedupeStage(key.subject(), key::single, capacity);
    }

    /**
     * Compiles {@code expression} to check it, for linters and config validation.
     *
     * @param expression a jq expression
     * @throws IllegalArgumentException with jq's message when the expression does not compile
     */
    public static void check(String expression) {
        JqExpression.compile(expression);
    }
}
