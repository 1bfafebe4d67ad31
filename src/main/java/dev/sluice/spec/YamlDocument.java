package dev.sluice.spec;

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
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAML (or JSON) document read into a Jackson tree, with the line and column of every value and
 * key by JSON Pointer, and the raw text of every scalar (Jackson's trees keep neither, so the token
 * stream is walked a second time to record them).
 *
 * <p>Duplicate keys are errors, and aliases and nesting are capped so a hostile file cannot blow up.
 */
public final class YamlDocument implements Locator {

    private static final String KEY_PREFIX = "key:";
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .loaderOptions(loaderOptions())
            .build();
    private static final ObjectMapper MAPPER = new YAMLMapper(YAML);

    private final String file;
    private final JsonNode root;
    private final Map<String, int[]> locations;
    private final Map<String, String> rawScalars;

    private YamlDocument(String file, JsonNode root, Map<String, int[]> locations, Map<String, String> rawScalars) {
        this.file = file;
        this.root = root;
        this.locations = locations;
        this.rawScalars = rawScalars;
    }

    /**
     * Reads a document. A syntax error becomes a problem and the result is null.
     *
     * @param text the YAML or JSON text
     * @param file the name problems are reported under
     * @param problems where a syntax error is added
     * @return the document, or null when it is not valid YAML
     */
    public static YamlDocument read(String text, String file, List<Problem> problems) {
        try {
            JsonNode root = MAPPER.readTree(text);
            if (root == null || root.isMissingNode()) {
                root = MAPPER.nullNode();
            }
            Map<String, int[]> locations = new HashMap<>();
            Map<String, String> raw = new HashMap<>();
            int[] second = locate(text, locations, raw);
            if (second != null) {
                problems.add(new Problem(file, second[0], second[1], "",
                        "a second YAML document starts here; a pipeline file holds one (put each pipeline in a file of its own)"));
            }
            return new YamlDocument(file, root, locations, raw);
        } catch (JsonProcessingException e) {
            int[] at = where(e);
            String message = e.getOriginalMessage().lines()
                    .filter(line -> !line.startsWith(" in ") && !line.startsWith("    ") && !line.isBlank())
                    .map(String::strip)
                    .collect(java.util.stream.Collectors.joining("; "));
            problems.add(new Problem(file, at[0], at[1], "", "not valid YAML: " + message));
            return null;
        }
    }

    /**
     * Returns the tree.
     *
     * @return the root node ({@code NullNode} for an empty document)
     */
    public JsonNode root() {
        return root;
    }

    /**
     * Returns the file name problems are reported under.
     *
     * @return the file name
     */
    public String file() {
        return file;
    }

    /**
     * Returns the scalar's text as written in the file, before YAML typed it ({@code 0777} for the
     * number 511, {@code yes} for {@code true}).
     *
     * @param pointer the scalar's JSON Pointer
     * @return the raw text, or the empty string when unknown
     */
    @Override
    public String raw(String pointer) {
        return rawScalars.getOrDefault(pointer, "");
    }

    @Override
    public Problem at(String pointer, String message) {
        String p = pointer;
        int[] at = locations.get(p);
        while (at == null && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
            at = locations.get(p);
        }
        return new Problem(file, at == null ? 0 : at[0], at == null ? 0 : at[1], pointer, message);
    }

    @Override
    public Problem atKey(String pointer, String message) {
        int[] at = locations.get(KEY_PREFIX + pointer);
        return at == null ? at(pointer, message) : new Problem(file, at[0], at[1], pointer, message);
    }

    /** Prefers SnakeYAML's problem mark (where it went wrong) over the context mark Jackson reports. */
    private static int[] where(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
                return new int[] {marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1};
            }
        }
        JsonLocation at = e.getLocation();
        return at == null ? new int[] {0, 0} : new int[] {at.getLineNr(), at.getColumnNr()};
    }

    /** Records where each node starts; returns where a second document's root starts, or null when there is none. */
    private static int[] locate(String text, Map<String, int[]> found, Map<String, String> raw)
            throws JsonProcessingException {
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token;
            int roots = 0;
            int depth = 0;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                    continue;
                }
                boolean root = depth == 0;
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                }
                // an empty document after a trailing '---' reads as a null or "": nothing to ignore there
                boolean empty = token == JsonToken.VALUE_NULL
                        || token == JsonToken.VALUE_STRING && parser.getText().isEmpty();
                if (root && !(empty && roots > 0) && ++roots > 1) {
                    JsonLocation second = parser.currentTokenLocation();
                    return new int[] {second.getLineNr(), second.getColumnNr()};
                }
                JsonLocation at = parser.currentTokenLocation();
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                String key = token == JsonToken.FIELD_NAME ? KEY_PREFIX + pointer : pointer;
                found.putIfAbsent(key, new int[] {at.getLineNr(), at.getColumnNr()});
                if (token.isScalarValue()) {
                    raw.putIfAbsent(pointer, parser.getText());
                }
            }
            return null;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(100);
        options.setCodePointLimit(10 * 1024 * 1024);
        options.setAllowDuplicateKeys(false);
        return options;
    }
}
