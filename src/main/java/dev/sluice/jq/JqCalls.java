package dev.sluice.jq;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Tells whether a jq expression may call a function or a format ({@code length}, {@code select(...)},
 * {@code @base64}), so whether it needs jq's builtin functions at all. Many expressions of a pipeline
 * need none ({@code .score >= 50}, {@code {id, title, author: .author.name}}, {@code "\(.id)"}), and
 * loading the builtins costs about 0.1 s of start-up (jackson-jq compiles the ones written in jq).
 *
 * <p>The answer errs one way only: it may say yes for an expression that calls nothing, never no for
 * one that calls something. Any name is taken for a call except a field after {@code .}, a variable
 * after {@code $}, a keyword, and an object key ({@code {a}}, {@code {a: ...}}); any {@code @} is taken
 * for a format, and {@code def}, {@code import} and {@code include} for calls. Strings are skipped,
 * but not the expressions interpolated in them.
 */
final class JqCalls {

    /** Names that are syntax, not functions ({@code not}, {@code empty} and {@code error} are functions). */
    private static final Set<String> KEYWORDS = Set.of("if", "then", "elif", "else", "end", "as", "reduce",
            "foreach", "try", "catch", "label", "break", "and", "or", "true", "false", "null", "__loc__");

    /** Names that bring functions in: taken for calls. */
    private static final Set<String> DEFINING = Set.of("def", "import", "include");

    private JqCalls() {}

    /**
     * Whether {@code text} may call a function or a format.
     *
     * @param text a jq expression (valid or not: an invalid one never runs)
     * @return false only when it surely calls neither
     */
    static boolean mayCall(String text) {
        // Open brackets ('{', '[', '(') and string interpolations ('"' for "inside \( ... )").
        Deque<Character> open = new ArrayDeque<>();
        char previous = 0; // the last significant character outside strings and comments
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                i = skipString(text, i + 1, open);
                previous = '"';
                continue;
            }
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '@') {
                return true;
            }
            if (c >= '0' && c <= '9') {
                i = skipNumber(text, i);
                previous = '0';
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == ':' && i + 1 < n && text.charAt(i + 1) == ':')) {
                    i += text.charAt(i) == ':' ? 2 : 1;
                }
                String name = text.substring(start, i);
                boolean field = start > 0 && (text.charAt(start - 1) == '.' || text.charAt(start - 1) == '$');
                if (!field && (DEFINING.contains(name) || !KEYWORDS.contains(name) && !isKey(text, i, previous, open))) {
                    return true;
                }
                previous = 'a';
                continue;
            }
            if (c == '{' || c == '[' || c == '(') {
                open.push(c);
            } else if (c == '}' || c == ']' || c == ')') {
                if (!open.isEmpty() && open.peek() == '"' && c == ')') {
                    // the end of an interpolation: back inside its string
                    open.pop();
                    i = skipString(text, i + 1, open);
                    previous = '"';
                    continue;
                }
                if (!open.isEmpty()) {
                    open.pop();
                }
            }
            previous = c;
            i++;
        }
        return false;
    }

    /**
     * Whether the name ending at {@code end} is an object key: directly inside braces, after the
     * opening brace or a comma, and followed by a colon, a comma or the closing brace.
     */
    private static boolean isKey(String text, int end, char previous, Deque<Character> open) {
        if (open.isEmpty() || open.peek() != '{' || (previous != '{' && previous != ',')) {
            return false;
        }
        int j = end;
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
        }
        return j < text.length() && (text.charAt(j) == ':' || text.charAt(j) == ',' || text.charAt(j) == '}');
    }

    /**
     * Skips a string's characters from {@code i}; returns the index after its closing quote, or, at
     * an interpolation, the index after {@code \(} with the interpolation marked open.
     */
    private static int skipString(String text, int i, Deque<Character> open) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < n) {
                if (text.charAt(i + 1) == '(') {
                    open.push('"'); // its ')' ends the interpolation
                    return i + 2;
                }
                i += 2;
                continue;
            }
            if (c == '"') {
                return i + 1;
            }
            i++;
        }
        return n;
    }

    /** Skips a number literal ({@code 12}, {@code 1.5}, {@code 1e-3}) from {@code i}. */
    private static int skipNumber(String text, int i) {
        int n = text.length();
        while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
                j++;
            }
            if (j < n && Character.isDigit(text.charAt(j))) {
                i = j;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }
}
