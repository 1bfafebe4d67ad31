package dev.sluice.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Origin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/** Bodies and expected values for the parse tests. */
final class Bodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Bodies() {
    }

    /** An item as a fetch leaves it: the body as text, with the response's metadata. */
    static Item fetched(String body, Origin origin, String url, String contentType, Duration elapsed) {
        Metadata metadata = Metadata.of(origin).withFetch(url, 200, Map.of("content-type", contentType), 1, elapsed);
        return Item.of(TextNode.valueOf(body), metadata);
    }

    /** The JSON value {@code text} denotes. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
