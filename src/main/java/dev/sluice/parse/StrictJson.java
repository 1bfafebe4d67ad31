package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Item;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Reads exactly one JSON value from a text with one shared, thread-safe {@link ObjectMapper}, and
 * words the failure when the text is not one.
 */
final class StrictJson {

    /** Deepest nesting of arrays and objects accepted; deeper documents are a parse failure. */
    static final int MAX_NESTING_DEPTH = 1000;

    /** Longest string value accepted, in characters. */
    static final int MAX_STRING_LENGTH = 20_000_000;

    /** Longest document accepted, in characters. */
    static final long MAX_DOCUMENT_LENGTH = 100L * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                    .build())
            .build());

    private static final Pattern EMBEDDED_LOCATION =
            Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");

    private StrictJson() {}

    /**
     * Reads one JSON value; anything but whitespace after it is an error (Jackson alone would stop
     * after the first value and ignore the rest).
     */
    static JsonNode read(String text) throws JsonProcessingException {
        try (JsonParser parser = MAPPER.createParser(text)) {
            return readOne(parser);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // Reading from a String performs no I/O; this is a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readOne(JsonParser parser) throws IOException {
        try {
            JsonNode value = MAPPER.readTree(parser);
            if (value == null) {
                throw new JsonParseException(parser, "no JSON value, the body is empty or blank");
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(
                        parser, "unexpected content after the JSON value", parser.currentTokenLocation());
            }
            return value;
        } catch (StreamConstraintsException e) {
            // Limit violations carry no location; the parser knows where it stopped.
            throw new JsonParseException(parser, e.getOriginalMessage(), parser.currentLocation(), e);
        }
    }

    /** Names the body in messages: the URL it was fetched from, otherwise the input it came from. */
    static String where(Item item) {
        String url = item.metadata().url();
        return url.isEmpty() ? item.origin().toString() : url;
    }

    /**
     * Words a parse error; {@code line} replaces Jackson's line when positive (NDJSON parses line by
     * line, so Jackson only ever sees line 1).
     */
    static String invalid(String where, long line, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String detail = tidy(e.getOriginalMessage(), line > 0);
        if (location == null || location == JsonLocation.NA) {
            return line > 0
                    ? "invalid JSON in " + where + " at line " + line + ": " + detail
                    : "invalid JSON in " + where + ": " + detail;
        }
        long lineNr = line > 0 ? line : location.getLineNr();
        return "invalid JSON in " + where + " at line " + lineNr + ", column " + location.getColumnNr() + ": "
                + detail;
    }

    /**
     * Shortens locations Jackson embeds in its message ({@code "start marker at [Source: REDACTED (...);
     * line: 1, column: 1]"}) to {@code "line 1, column 1"}, or to the column alone when parsing one
     * line of a larger body, where Jackson's line number would mislead.
     */
    private static String tidy(String detail, boolean singleLine) {
        return EMBEDDED_LOCATION.matcher(detail).replaceAll(singleLine ? "column $2" : "line $1, column $2");
    }
}
