package dev.sluice.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Masks secrets in what {@code explain} shows: values of sensitive headers, URL user-info, and any
 * text that contains the value of a secret-looking environment variable ({@code *TOKEN*},
 * {@code *SECRET*}, {@code *PASSWORD*}, {@code *KEY*}, ...).
 */
final class Redaction {

    static final String MASK = "***";
    private static final List<String> SENSITIVE_NAMES =
            List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token");

    private Redaction() {}

    static void mask(JsonNode node, Set<String> secrets) {
        if (node instanceof ObjectNode obj) {
            List<String> names = new java.util.ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = obj.get(name);
                if (child.isTextual() && SENSITIVE_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                    obj.set(name, TextNode.valueOf(MASK));
                } else if (child.isTextual()) {
                    obj.set(name, TextNode.valueOf(scrub(child.textValue(), secrets)));
                } else {
                    mask(child, secrets);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                if (arr.get(i).isTextual()) {
                    arr.set(i, TextNode.valueOf(scrub(arr.get(i).textValue(), secrets)));
                } else {
                    mask(arr.get(i), secrets);
                }
            }
        }
    }

    static String scrub(String text, Set<String> secrets) {
        String out = text.replaceAll("(?i)(https?://)[^/@\\s]+@", "$1" + MASK + "@");
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }
}
