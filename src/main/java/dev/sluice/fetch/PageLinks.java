package dev.sluice.fetch;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds next-page URLs: in a {@code Link} header, or by setting a query parameter. */
final class PageLinks {

    /** One link-value of RFC 8288: {@code <uri>} and its parameters up to the next comma outside quotes. */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,=]+(?:=(?:\"[^\"]*\"|[^;,]*))?)*)");
    private static final Pattern REL = Pattern.compile("(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;,\\s]*))");

    private PageLinks() {}

    /**
     * Returns the target of the {@code rel="next"} link in a {@code Link} header value, as written
     * (maybe relative), or null when there is none.
     */
    static String next(String linkHeader) {
        if (linkHeader == null) {
            return null;
        }
        Matcher link = LINK.matcher(linkHeader);
        while (link.find()) {
            Matcher rel = REL.matcher(link.group(2));
            while (rel.find()) {
                String values = rel.group(1) != null ? rel.group(1) : rel.group(2);
                for (String value : values.toLowerCase(Locale.ROOT).split("\\s+")) {
                    if (value.equals("next")) {
                        return link.group(1).strip();
                    }
                }
            }
        }
        return null;
    }

    /** Returns {@code uri} with query parameter {@code name} set to {@code value}, replacing earlier values. */
    static URI withParam(URI uri, String name, String value) {
        String encodedName = encode(name);
        List<String> parts = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String part : uri.getRawQuery().split("&")) {
                if (!part.isEmpty() && !part.equals(encodedName) && !part.startsWith(encodedName + "=")) {
                    parts.add(part);
                }
            }
        }
        parts.add(encodedName + "=" + encode(value));
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + "?" + String.join("&", parts));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
