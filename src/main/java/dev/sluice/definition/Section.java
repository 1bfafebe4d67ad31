package dev.sluice.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fields of one component's configuration, recording a located problem for each wrong
 * type, bad value or unknown field instead of stopping at the first.
 */
final class Section {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final LocatedTree tree;
    private final String pointer;
    private final JsonNode node;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    Section(LocatedTree tree, String pointer, JsonNode node, Problems problems) {
        this.tree = tree;
        this.pointer = pointer;
        this.node = node;
        this.problems = problems;
        if (node != null && !node.isObject() && !node.isNull()) {
            problems.add(tree.problem(pointer, "expected a map of settings, got " + Problems.describe(node)));
        }
    }

    String pointer() {
        return pointer;
    }

    String text(String field, String fallback) {
        JsonNode v = field(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual() && !v.isNumber()) {
            wrong(field, "a string", v);
            return fallback;
        }
        return v.asText();
    }

    String requiredText(String field) {
        String v = text(field, null);
        if (v == null && field(field) == null) {
            problems.add(tree.problem(pointer, "missing required field '" + field + "'"));
        }
        return v;
    }

    long integer(String field, long fallback, long min) {
        JsonNode v = field(field);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            wrong(field, "an integer", v);
            return fallback;
        }
        if (v.asLong() < min) {
            problems.add(tree.problem(pointer + "/" + field, field + " must be >= " + min + ", was " + v.asLong()));
            return fallback;
        }
        return v.asLong();
    }

    Duration duration(String field, Duration fallback) {
        JsonNode v = field(field);
        if (v == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(v.asText());
        if (!v.isTextual() || !m.matches()) {
            problems.add(tree.problem(pointer + "/" + field,
                    field + " must be a duration such as 250ms, 10s, 2m or 1h, was " + Problems.describe(v)));
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    Map<String, String> stringMap(String field) {
        JsonNode v = field(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            wrong(field, "a map of names to strings", v);
            return out;
        }
        v.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                problems.add(tree.problem(pointer + "/" + field + "/" + e.getKey(),
                        "expected a string, got " + Problems.describe(e.getValue())));
            }
        });
        return out;
    }

    List<String> stringList(String field) {
        JsonNode v = field(field);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            wrong(field, "a list of strings", v);
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isTextual()) {
                out.add(e.asText());
            } else {
                problems.add(tree.problem(pointer + "/" + field + "/" + i, "expected a string, got " + Problems.describe(e)));
            }
        }
        return out;
    }

    String oneOf(String field, String fallback, List<String> allowed) {
        String v = text(field, fallback);
        if (v != null && !allowed.contains(v)) {
            problems.add(tree.problem(pointer + "/" + field,
                    field + " must be one of " + allowed + ", was '" + v + "'" + Problems.didYouMean(v, allowed)));
            return fallback;
        }
        return v;
    }

    /** Reports every field that no reader asked for. Call after reading all fields. */
    void finish() {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add(tree.keyProblem(pointer + "/" + name, "unknown field '" + name + "'"
                        + Problems.didYouMean(name, known) + "; known: " + String.join(", ", known)));
            }
        }
    }

    private JsonNode field(String name) {
        known.add(name);
        if (!(node instanceof ObjectNode obj)) {
            return null;
        }
        JsonNode v = obj.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private void wrong(String field, String expected, JsonNode got) {
        problems.add(tree.problem(pointer + "/" + field, field + " must be " + expected + ", got " + Problems.describe(got)));
    }
}
