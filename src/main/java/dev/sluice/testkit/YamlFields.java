package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Problem;
import dev.sluice.spec.Suggestions;
import dev.sluice.spec.YamlDocument;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads typed fields of a test file's YAML tree, adding a located problem for each misfit. */
final class YamlFields {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final YamlDocument doc;
    private final List<Problem> problems;

    YamlFields(YamlDocument doc, List<Problem> problems) {
        this.doc = doc;
        this.problems = problems;
    }

    static String child(String pointer, String field) {
        return pointer + "/" + field.replace("~", "~0").replace("/", "~1");
    }

    void problem(String pointer, String message) {
        problems.add(doc.at(pointer, message));
    }

    /** Reports every key of {@code node} not in {@code known}; false when {@code node} is not a map. */
    boolean onlyKnown(JsonNode node, String pointer, String what, List<String> known) {
        if (!node.isObject()) {
            problem(pointer, what + " must be a map with " + String.join(", ", known));
            return false;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(doc.atKey(child(pointer, key), "unknown field '" + key + "' in " + what
                        + Suggestions.didYouMean(key, known) + "; known: " + String.join(", ", known)));
            }
        }
        return true;
    }

    String text(JsonNode node, String pointer, String field) {
        if (node == null || !node.isTextual()) {
            problem(pointer, field + " must be a string" + (node == null ? "" : ", got " + node));
            return null;
        }
        return node.textValue();
    }

    long count(JsonNode node, String pointer, String field) {
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 0) {
            problem(pointer, field + " must be a whole number >= 0" + (node == null ? "" : ", got " + node));
            return -1;
        }
        return node.longValue();
    }

    Duration duration(JsonNode node, String pointer, String field) {
        Matcher m = node != null && node.isTextual() ? DURATION.matcher(node.textValue()) : null;
        if (m == null || !m.matches()) {
            problem(pointer, field + " must be a duration such as 500ms, 5s, 2m or 1h" + (node == null ? "" : ", got " + node));
            return Duration.ZERO;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
