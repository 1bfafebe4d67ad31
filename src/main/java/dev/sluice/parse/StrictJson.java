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
     * after the first value and ignore the rest). One byte-order mark in front is skipped, as the
     * ndjson, csv and lines readers and the split do (RFC 8259 lets a parser ignore it).
     */
    static JsonNode read(String text) throws JsonProcessingException {
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try (JsonParser parser = MAPPER.createParser(json)) {
            return readOne(parser);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // Reading from a String performs no I/O; this is a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one JSON value from UTF-8 bytes when that gives what {@link #read(String)} gives for the
     * bytes decoded: only well-formed UTF-8 without a byte-order mark or NUL at the start (Jackson
     * would detect UTF-16 or UTF-32 and skip a mark; the decoder replaces malformed bytes). Returns
     * null when it cannot tell or the bytes are not one JSON value: the text path then reads them
     * and words the failure with its usual message and location (the document limit counts
     * characters there, bytes here).
     */
    static JsonNode readPlain(byte[] body) {
        if (!plainUtf8(body)) {
            return null;
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            return readOne(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /** Well-formed UTF-8 (Unicode table 3-7: no overlong forms, surrogates or code points past U+10FFFF), no mark or NUL in front. */
    static boolean plainUtf8(byte[] b) {
        int n = b.length;
        if (n > 0 && (b[0] & 0xFF) >= 0xEF) {
            return false;
        }
        for (int i = 0; i < Math.min(n, 4); i++) {
            if (b[i] == 0) {
                return false;
            }
        }
        int i = 0;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int extra;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                extra = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                extra = 2;
                lo = c == 0xE0 ? 0xA0 : lo;
                hi = c == 0xED ? 0x9F : hi;
            } else if (c >= 0xF0 && c <= 0xF4) {
                extra = 3;
                lo = c == 0xF0 ? 0x90 : lo;
                hi = c == 0xF4 ? 0x8F : hi;
            } else {
                return false;
            }
            if (i + extra >= n) {
                return false;
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= extra; k++) {
                int next = b[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += extra + 1;
        }
        return true;
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
