package dev.sluice.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects the problems of one file, and words them. */
final class Problems {

    private final List<Problem> list = new ArrayList<>();

    void add(Problem problem) {
        list.add(problem);
    }

    List<Problem> list() {
        return list;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "'" + node.asText() + "'";
        }
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isBoolean()) {
            return node.asText() + " (a boolean; YAML reads yes/no/on/off as booleans, quote it if you meant text)";
        }
        return node.toString();
    }

    /** Returns {@code " (did you mean 'x'?)"} for the closest candidate within a small edit distance, else "". */
    static String didYouMean(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(given, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
