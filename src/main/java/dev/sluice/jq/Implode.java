package dev.sluice.jq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/**
 * jq's {@code implode}, in place of jackson-jq's, which cast each code point to a {@code char} and so
 * dropped every character outside the Basic Multilingual Plane (emoji among them), silently, in
 * {@code implode} and in {@code ascii_upcase} and {@code ascii_downcase}, which jq defines through it.
 * A value that is not a code point fails the expression, as in jq.
 */
final class Implode implements Function {

    @Override
    public void apply(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
            throws JsonQueryException {
        if (!in.isArray()) {
            throw new JsonQueryException("implode input must be an array, not " + in.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        StringBuilder text = new StringBuilder(in.size());
        for (JsonNode point : in) {
            if (!point.isNumber() || !point.canConvertToInt() || !Character.isValidCodePoint(point.asInt())) {
                throw new JsonQueryException("implode input must be an array of code points, found " + point);
            }
            text.appendCodePoint(point.asInt());
        }
        output.emit(TextNode.valueOf(text.toString()), null);
    }
}
