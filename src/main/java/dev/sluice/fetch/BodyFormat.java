package dev.sluice.fetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** How a response body is read when a fetch merges it into the item ({@link Fetch#into(String, BodyFormat)}). */
public enum BodyFormat {

    /** One JSON document; trailing content is an error. */
    JSON,

    /** One JSON document per line, read into an array; blank lines are skipped. */
    NDJSON,

    /** The body as a JSON string. */
    TEXT;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Reads {@code body} in this format.
     *
     * @param body the body decoded as UTF-8
     * @return the value
     * @throws IllegalArgumentException saying what is wrong and where (line and column)
     */
    JsonNode read(String body) {
        return switch (this) {
            case JSON -> json(body, 0);
            case NDJSON -> lines(body);
            case TEXT -> TextNode.valueOf(body);
        };
    }

    private static JsonNode lines(String body) {
        ArrayNode out = MAPPER.createArrayNode();
        String[] lines = body.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                out.add(json(lines[i], i + 1));
            }
        }
        return out;
    }

    private static JsonNode json(String text, int line) {
        if (text.isBlank()) {
            // Jackson reads no content as a missing node, which would merge as null
            throw new IllegalArgumentException("not JSON: the body is empty or blank");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + (line > 0 ? line : at.getLineNr()) + ", column " + at.getColumnNr();
            throw new IllegalArgumentException("not JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }
}
