package dev.sluice.definition;

import dev.sluice.Problem;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in the raw text of a pipeline file before it is
 * parsed; {@code $${...}} stays literal as {@code ${...}}.
 */
final class Interpolation {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$(\\$?)\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private Interpolation() {}

    /** Variable names whose values are treated as secrets: never shown by explain. */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|AUTH|CREDENTIAL|PRIVATE).*");

    static String apply(String text, String file, Map<String, String> env, List<Problem> problems) {
        return apply(text, file, env, problems, new java.util.HashSet<>());
    }

    /** Interpolates; values of variables whose names look secret are added to {@code secrets}. */
    static String apply(String text, String file, Map<String, String> env, List<Problem> problems,
            java.util.Set<String> secrets) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = m.group().substring(1);
            } else if (env.containsKey(m.group(2))) {
                replacement = env.get(m.group(2));
                if (SECRET_NAME.matcher(m.group(2)).matches() && !replacement.isEmpty()) {
                    secrets.add(replacement);
                }
            } else if (m.group(3) != null) {
                replacement = m.group(3);
            } else {
                int[] lc = lineAndColumn(text, m.start());
                problems.add(new Problem(file, lc[0], lc[1], "",
                        "environment variable " + m.group(2) + " is not set; set it or write ${"
                                + m.group(2) + ":-default}"));
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int[] lineAndColumn(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, offset - lineStart + 1};
    }
}
