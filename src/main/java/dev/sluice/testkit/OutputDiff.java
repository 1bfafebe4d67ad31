package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares expected and actual output values and describes the difference readably: missing and
 * unexpected items as {@code -}/{@code +} lines, and for a pair that looks like the same item (they
 * share fields), the JSON Pointer and values of each differing field. Numbers compare by value, so
 * {@code 1} equals {@code 1.0}.
 */
final class OutputDiff {

    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private OutputDiff() {}

    static boolean same(JsonNode a, JsonNode b) {
        return a.equals(BY_VALUE, b);
    }

    /** Returns the difference ignoring order, or the empty string when the multisets are equal. */
    static String unordered(List<JsonNode> expected, List<JsonNode> actual) {
        List<JsonNode> missing = new ArrayList<>(expected);
        List<JsonNode> unexpected = new ArrayList<>();
        for (JsonNode got : actual) {
            if (!removeSame(missing, got)) {
                unexpected.add(got);
            }
        }
        if (missing.isEmpty() && unexpected.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("outputs differ (expected " + expected.size() + " items, got "
                + actual.size() + "): " + missing.size() + " missing, " + unexpected.size() + " unexpected\n");
        for (JsonNode want : missing) {
            out.append("- ").append(want).append('\n');
            JsonNode closest = closest(want, unexpected);
            if (closest != null) {
                unexpected.remove(closest);
                out.append("+ ").append(closest).append('\n');
                fieldDiffs(want, closest, "", out);
            }
        }
        unexpected.forEach(got -> out.append("+ ").append(got).append('\n'));
        return out.toString().stripTrailing();
    }

    /** Returns the difference in order, or the empty string when the lists are equal. */
    static String ordered(List<JsonNode> expected, List<JsonNode> actual) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            JsonNode want = i < expected.size() ? expected.get(i) : null;
            JsonNode got = i < actual.size() ? actual.get(i) : null;
            if (want == null) {
                out.append("at [").append(i).append("]: unexpected ").append(got).append('\n');
            } else if (got == null) {
                out.append("at [").append(i).append("]: missing ").append(want).append('\n');
            } else if (!same(want, got)) {
                out.append("at [").append(i).append("]:\n- ").append(want).append("\n+ ").append(got).append('\n');
                fieldDiffs(want, got, "", out);
            }
        }
        return out.length() == 0 ? ""
                : "outputs differ in order (expected " + expected.size() + " items, got " + actual.size() + ")\n"
                        + out.toString().stripTrailing();
    }

    private static boolean removeSame(List<JsonNode> from, JsonNode node) {
        for (Iterator<JsonNode> it = from.iterator(); it.hasNext(); ) {
            if (same(it.next(), node)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private static JsonNode closest(JsonNode want, List<JsonNode> candidates) {
        JsonNode best = null;
        int bestShared = 0;
        for (JsonNode got : candidates) {
            int shared = shared(want, got);
            if (shared > bestShared) {
                best = got;
                bestShared = shared;
            }
        }
        return best;
    }

    private static int shared(JsonNode a, JsonNode b) {
        if (!a.isObject() || !b.isObject()) {
            return 0;
        }
        int n = 0;
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (b.has(field) && same(a.get(field), b.get(field))) {
                n++;
            }
        }
        return n;
    }

    private static void fieldDiffs(JsonNode want, JsonNode got, String pointer, StringBuilder out) {
        if (want.isObject() && got.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            want.fieldNames().forEachRemaining(fields::add);
            got.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                String at = pointer + "/" + field.replace("~", "~0").replace("/", "~1");
                if (!want.has(field)) {
                    out.append("    at ").append(at).append(": unexpected field, got ").append(got.get(field)).append('\n');
                } else if (!got.has(field)) {
                    out.append("    at ").append(at).append(": missing field, expected ").append(want.get(field)).append('\n');
                } else {
                    fieldDiffs(want.get(field), got.get(field), at, out);
                }
            }
        } else if (!same(want, got)) {
            out.append("    at ").append(pointer.isEmpty() ? "/" : pointer).append(": expected ").append(want)
                    .append(", got ").append(got).append('\n');
        }
    }
}
