package dev.sluice.transform;

import dev.sluice.Stage;

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
     * Returns a stage that keeps the items for which the first output of {@code expression} is truthy
     * (neither {@code null} nor {@code false}), e.g. {@code ".score >= 50"}. An expression with no
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
     * Compiles {@code expression} to check it, for linters and config validation.
     *
     * @param expression a jq expression
     * @throws IllegalArgumentException with jq's message when the expression does not compile
     */
    public static void check(String expression) {
        JqExpression.compile(expression);
    }
}
