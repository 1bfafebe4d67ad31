package dev.sluice.definition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline file read into a Jackson tree, with the line and column of every node by JSON Pointer
 * (Jackson's trees do not keep locations, so the token stream is walked once more to record them).
 */
final class LocatedTree {

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = new YAMLMapper(YAML);

    /** Marks entries that locate a map key rather than its value. */
    private static final String KEY_PREFIX = "key:";

    private final String file;
    private final JsonNode root;
    private final Map<String, int[]> locations;

    private LocatedTree(String file, JsonNode root, Map<String, int[]> locations) {
        this.file = file;
        this.root = root;
        this.locations = locations;
    }

    /** Reads {@code text}; a syntax error becomes a problem and the result is null. */
    static LocatedTree read(String text, String file, List<Problem> problems) {
        try {
            JsonNode root = MAPPER.readTree(text);
            return new LocatedTree(file, root, locate(text));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add(new Problem(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "", "not valid YAML: " + e.getOriginalMessage()));
            return null;
        }
    }

    JsonNode root() {
        return root;
    }

    /** Makes a problem at the node with this pointer, or at its closest located parent. */
    Problem problem(String pointer, String message) {
        String p = pointer;
        int[] at = locations.get(p);
        while (at == null && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
            at = locations.get(p);
        }
        return new Problem(file, at == null ? 0 : at[0], at == null ? 0 : at[1], pointer, message);
    }

    /** Makes a problem at the key of the member with this pointer (an unknown field, say). */
    Problem keyProblem(String pointer, String message) {
        int[] at = locations.get(KEY_PREFIX + pointer);
        return at == null ? problem(pointer, message) : new Problem(file, at[0], at[1], pointer, message);
    }

    private static Map<String, int[]> locate(String text) throws JsonProcessingException {
        Map<String, int[]> found = new HashMap<>();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    continue;
                }
                JsonLocation at = parser.currentTokenLocation();
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                String key = token == JsonToken.FIELD_NAME ? KEY_PREFIX + pointer : pointer;
                found.putIfAbsent(key, new int[] {at.getLineNr(), at.getColumnNr()});
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
