package dev.sluice.jq;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A jq expression compiled once, evaluated against many values from any thread.
 *
 * <pre>{@code
 * JqExpression url = JqExpression.compile("\"https://api.example.com/items/\\(.id)\"");
 * String text = url.text(item.value());   // https://api.example.com/items/7
 * }</pre>
 *
 * <p>jq's builtin functions are loaded once into a root scope, when the first expression that may
 * call one is compiled ({@link JqCalls}): loading them takes about 0.1 s, and expressions such as
 * {@code .score >= 50} or {@code {id, title}} call none, so a pipeline of such expressions never
 * pays for them. Each evaluation runs in a fresh child scope, so variables one evaluation binds never
 * leak into another. Compiled queries and the root scopes are only read after construction, which
 * makes sharing them across threads safe.
 *
 * <p>Runtime errors of jq itself ({@code null (null) and number (1) cannot be added}) are thrown as
 * {@link UncheckedIOException} wrapping jackson-jq's exception; a wrong number or type of outputs is
 * thrown as {@link IllegalStateException}. {@link #detail(RuntimeException)} words either for a
 * failure message.
 */
public final class JqExpression {

    /** The root of expressions that call no function: no functions at all. */
    private static final Scope EMPTY = Scope.newEmptyScope();

    private static final String ASSIGNED = "sluice_assigned";

    private final String text;
    private final JsonQuery query;
    private final JsonQuery assignment;
    /** {@link Builtins#ROOT}, or {@link #EMPTY} for an expression that surely calls no function. */
    private final Scope root;

    private JqExpression(String text, JsonQuery query, JsonQuery assignment) {
        this.text = text;
        this.query = query;
        this.assignment = assignment;
        this.root = JqCalls.mayCall(text) ? Builtins.ROOT : EMPTY;
    }

    /** jq's builtin functions, loaded when this class is first used: by the first expression that may call one. */
    private static final class Builtins {
        static final Scope ROOT = rootScope();
    }

    /** Whether this expression runs with jq's builtin functions (for tests). */
    boolean usesBuiltins() {
        return root != EMPTY;
    }

    /**
     * Compiles {@code text}.
     *
     * @param text a jq expression, e.g. {@code ".items[]"}
     * @return the compiled expression
     * @throws IllegalArgumentException with jq's message when the expression is null or invalid
     *     ({@code "invalid jq expression '.[': Encountered \"<EOF>\" ..."})
     */
    public static JqExpression compile(String text) {
        if (text == null) {
            throw new IllegalArgumentException("jq expression must not be null");
        }
        try {
            return new JqExpression(text, JsonQuery.compile(text, Versions.JQ_1_6), null);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException("invalid jq expression '" + text + "': " + reason(e), e);
        }
    }

    /**
     * Compiles a path expression such as {@code .author} or {@code .meta.source}, for
     * {@link #assign(JsonNode, JsonNode)}.
     *
     * @param path a jq path expression
     * @return the compiled path
     * @throws IllegalArgumentException with jq's message when the expression is null or invalid
     */
    public static JqExpression path(String path) {
        JqExpression plain = compile(path);
        try {
            JsonQuery assignment = JsonQuery.compile("(" + path + ") = $" + ASSIGNED, Versions.JQ_1_6);
            return new JqExpression(path, plain.query, assignment);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException("invalid jq path '" + path + "': " + reason(e), e);
        }
    }

    /**
     * Returns a copy of {@code target} with {@code value} at this path, creating missing objects on
     * the way, as jq's {@code =} does; {@code target} itself is left unchanged.
     *
     * @param target the value to change
     * @param value the value to put at the path
     * @return the changed copy
     * @throws IllegalStateException when this expression was not compiled with {@link #path(String)}
     *     or the assignment does not produce exactly one value
     * @throws UncheckedIOException wrapping jq's error, e.g. when the expression is not a path
     */
    public JsonNode assign(JsonNode target, JsonNode value) {
        if (assignment == null) {
            throw new IllegalStateException("'" + text + "' was not compiled as a path; use JqExpression.path");
        }
        List<JsonNode> out = new ArrayList<>();
        try {
            Scope scope = Scope.newChildScope(root);
            scope.setValue(ASSIGNED, value);
            assignment.apply(scope, target, out::add);
        } catch (JsonQueryException e) {
            throw new UncheckedIOException(e);
        }
        if (out.size() != 1) {
            throw new IllegalStateException("assigning to '" + text + "' produced " + out.size()
                    + " values; it must produce exactly one");
        }
        return out.get(0);
    }

    /**
     * Takes the first line of the grammar's message ({@code Encountered "<EOF>" at line 1, column 2.}):
     * jackson-jq's own message only repeats the query, and the grammar's goes on to list every
     * expected token.
     */
    private static String reason(JsonQueryException e) {
        Throwable cause = e.getCause();
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    /**
     * Returns the expression as written.
     *
     * @return the source text
     */
    public String source() {
        return text;
    }

    /**
     * Names the expression in failure messages: its text in single quotes.
     *
     * @return {@code 'text'}
     */
    public String subject() {
        return "'" + text + "'";
    }

    /**
     * Returns every output for {@code value}, in order.
     *
     * @param value the input
     * @return the outputs, possibly none
     * @throws UncheckedIOException wrapping jq's error when evaluation fails
     */
    public List<JsonNode> outputs(JsonNode value) {
        List<JsonNode> out = new ArrayList<>();
        try {
            query.apply(Scope.newChildScope(root), value, out::add);
        } catch (JsonQueryException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Returns the one output for {@code value}, for steps that need exactly one value.
     *
     * @param value the input
     * @return the output
     * @throws IllegalStateException when there is no output or several, saying so
     * @throws UncheckedIOException wrapping jq's error when evaluation fails
     */
    public JsonNode single(JsonNode value) {
        List<JsonNode> out = outputs(value);
        if (out.size() != 1) {
            throw new IllegalStateException(out.isEmpty()
                    ? "produced no value; it must produce exactly one"
                    : "produced " + out.size() + " values; it must produce exactly one");
        }
        return out.get(0);
    }

    /**
     * Tells whether any output is truthy in jq's sense: neither null nor false. So {@code .tags[] ==
     * "x"} holds when any tag is {@code "x"}, as jq's {@code select} would keep the value (once here,
     * where {@code select} emits it once per truthy output); no output does not hold.
     *
     * @param value the input
     * @return whether the expression holds for {@code value}
     * @throws UncheckedIOException wrapping jq's error when evaluation fails
     */
    public boolean test(JsonNode value) {
        for (JsonNode out : outputs(value)) {
            if (!out.isNull() && !(out.isBoolean() && !out.booleanValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the one output for {@code value} as a string, for templates written with jq's string
     * interpolation such as {@code "https://api.example.com/items/\(.id)"}.
     *
     * @param value the input
     * @return the string the expression produced
     * @throws IllegalStateException when there is not exactly one output, or it is not a string
     *     ({@code "produced a number (7); it must produce a string"})
     * @throws UncheckedIOException wrapping jq's error when evaluation fails
     */
    public String text(JsonNode value) {
        JsonNode out = single(value);
        if (!out.isTextual()) {
            String type = out.getNodeType().name().toLowerCase(Locale.ROOT);
            String shown = out.toString();
            throw new IllegalStateException("produced " + (out.isNull() ? "null" : article(type) + type
                    + " (" + (shown.length() > 60 ? shown.substring(0, 60) + "..." : shown) + ")")
                    + "; it must produce a string");
        }
        return out.textValue();
    }

    /**
     * Words an evaluation error for a failure message: jq's own message for a jq error (unwrapping
     * the {@link UncheckedIOException}), else the exception's message or, lacking one, its class.
     *
     * @param e an exception thrown by {@link #outputs}, {@link #single}, {@link #test} or {@link #text}
     * @return the detail, never blank
     */
    public static String detail(RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ";
    }

    @Override
    public String toString() {
        return "JqExpression[" + text + "]";
    }

    private static Scope rootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        scope.addFunction("implode", 0, new Implode()); // jackson-jq's drops characters beyond U+FFFF
        return scope;
    }
}
