package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A jq expression compiled once, evaluated against many values from any thread.
 *
 * <p>The builtin functions are loaded once into a root scope; each evaluation runs in a fresh child
 * scope, so variables one evaluation binds never leak into another. Compiled queries and the root
 * scope are only read after construction, which makes sharing them across threads safe.
 */
final class JqExpression {

    private static final Scope ROOT = rootScope();

    private final String text;
    private final JsonQuery query;

    private JqExpression(String text, JsonQuery query) {
        this.text = text;
        this.query = query;
    }

    /** Compiles {@code text}, throwing {@link IllegalArgumentException} with jq's message when invalid. */
    static JqExpression compile(String text) {
        if (text == null) {
            throw new IllegalArgumentException("jq expression must not be null");
        }
        try {
            return new JqExpression(text, JsonQuery.compile(text, Versions.JQ_1_6));
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException("invalid jq expression '" + text + "': " + reason(e), e);
        }
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

    /** Names the expression in failure messages. */
    String subject() {
        return "'" + text + "'";
    }

    /** Returns every output for {@code value}; jq errors are thrown wrapped in {@link UncheckedIOException}. */
    List<JsonNode> outputs(JsonNode value) {
        List<JsonNode> out = new ArrayList<>();
        try {
            query.apply(Scope.newChildScope(ROOT), value, out::add);
        } catch (JsonQueryException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Returns the one output for {@code value}; no output or several throw
     * {@link IllegalStateException} saying so, for steps that need exactly one value.
     */
    JsonNode single(JsonNode value) {
        List<JsonNode> out = outputs(value);
        if (out.size() != 1) {
            throw new IllegalStateException(out.isEmpty()
                    ? "produced no value; it must produce exactly one"
                    : "produced " + out.size() + " values; it must produce exactly one");
        }
        return out.get(0);
    }

    /** Tells whether the first output is truthy in jq's sense: present, and neither null nor false. */
    boolean test(JsonNode value) {
        List<JsonNode> out = outputs(value);
        if (out.isEmpty()) {
            return false;
        }
        JsonNode first = out.get(0);
        return !first.isNull() && !(first.isBoolean() && !first.booleanValue());
    }

    private static Scope rootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        return scope;
    }
}
