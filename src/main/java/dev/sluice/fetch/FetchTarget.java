package dev.sluice.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The URL an item asks the fetch stage to GET, or why it names none. */
sealed interface FetchTarget {

    /**
     * An absolute http(s) URL with a host.
     *
     * @param uri the parsed URL
     * @param text the URL as the item gave it
     */
    record Url(URI uri, String text) implements FetchTarget {}

    /**
     * No usable URL.
     *
     * @param text the offending URL, or the empty string when the item named none
     * @param message what is wrong, naming the URL
     */
    record Invalid(String text, String message) implements FetchTarget {}

    /**
     * Finds the URL in an item's value: the value itself when it is a string, its {@code url} field
     * when it is an object.
     *
     * @param value the item's value
     * @return the target
     */
    static FetchTarget of(JsonNode value) {
        if (value.isTextual()) {
            return parse(value.textValue());
        }
        JsonNode url = value.path("url");
        if (value.isObject() && url.isTextual()) {
            return parse(url.textValue());
        }
        return new Invalid("", "fetch needs a string value or an object with a url field, got " + describe(value));
    }

    /**
     * Parses a URL given as text, e.g. by a jq template.
     *
     * @param text the URL
     * @return the target
     */
    static FetchTarget parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return invalid(text, e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        if (uri.getScheme() == null) {
            return invalid(text, "not an absolute URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return invalid(text, "scheme must be http or https, was " + uri.getScheme());
        }
        if (uri.getHost() == null) {
            return invalid(text, "no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return invalid(text, "port " + uri.getPort() + " is out of range (1 - 65535)");
        }
        return new Url(uri, text);
    }

    private static Invalid invalid(String text, String why) {
        return new Invalid(text, "invalid URL '" + text + "': " + why);
    }

    private static String describe(JsonNode value) {
        if (!value.isObject()) {
            return typeOf(value);
        }
        JsonNode url = value.get("url");
        return url == null ? "an object without a url field" : "an object whose url is " + typeOf(url);
    }

    private static String typeOf(JsonNode node) {
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return node.isNull() ? type : ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }
}
