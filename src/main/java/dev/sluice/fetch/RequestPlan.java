package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.jq.JqExpression;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What a {@link Fetch} computes from each item besides its {@link FetchOptions}: jq templates for the
 * URL and a JSON body, and where the response goes. Null parts are unset.
 *
 * @param url a jq expression producing the URL string, or null to take the item's value or url field
 * @param jsonBody a jq expression whose output is sent as a JSON body, or null
 * @param into where the parsed response is merged into the item, or null to replace the value
 * @param decoder decodes the body while it streams into one item per value, or null to read it whole
 * @param headers header templates: name to a jq expression producing the value string
 * @param parser reads a whole body from its bytes into the item that leaves (see
 *     {@link Fetch#parseWith(BiFunction)}), or null to keep the body as a JSON string
 */
record RequestPlan(JqExpression url, JqExpression jsonBody, Enrichment into, BodyDecoder decoder,
        Map<String, JqExpression> headers, BiFunction<byte[], Item, Item> parser) {

    static final RequestPlan NONE = new RequestPlan(null, null, null, null, Map.of(), null);

    RequestPlan withHeader(String name, JqExpression value) {
        Map<String, JqExpression> next = new LinkedHashMap<>(headers);
        next.put(name, value);
        return new RequestPlan(url, jsonBody, into, decoder, Collections.unmodifiableMap(next), parser);
    }

    RequestPlan withUrl(JqExpression u) {
        return new RequestPlan(u, jsonBody, into, decoder, headers, parser);
    }

    RequestPlan withJsonBody(JqExpression b) {
        return new RequestPlan(url, b, into, decoder, headers, parser);
    }

    RequestPlan withInto(Enrichment e) {
        return new RequestPlan(url, jsonBody, e, decoder, headers, parser);
    }

    RequestPlan withDecoder(BodyDecoder d) {
        return new RequestPlan(url, jsonBody, into, d, headers, parser);
    }

    RequestPlan withParser(BiFunction<byte[], Item, Item> p) {
        return new RequestPlan(url, jsonBody, into, decoder, headers, p);
    }

    /**
     * Where and how the response is merged into the item.
     *
     * @param path the jq path that receives the parsed body, e.g. {@code .author}
     * @param errors the path that receives the failure when optional: {@code ._errors} + path
     * @param format how the body is read
     * @param optional whether a failure keeps the item (recording it at {@code errors}) instead of
     *     dead-lettering it
     */
    record Enrichment(JqExpression path, JqExpression errors, BodyFormat format, boolean optional) {

        /** The field under which optional enrichments record their failures. */
        static final String ERRORS = "._errors";

        static Enrichment of(String path, BodyFormat format, boolean optional) {
            if (path == null || !path.startsWith(".") || path.isBlank() || path.strip().equals(".")) {
                throw new IllegalArgumentException("into must be a jq path below the value such as .author, was '"
                        + path + "'");
            }
            return new Enrichment(JqExpression.path(path), JqExpression.path(ERRORS + path), format, optional);
        }

        Enrichment withOptional(boolean o) {
            return new Enrichment(path, errors, format, o);
        }
    }
}
