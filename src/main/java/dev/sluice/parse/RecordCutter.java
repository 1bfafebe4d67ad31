package dev.sluice.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a body that arrives in UTF-8 chunks into records: lines, or CSV records whose quoted fields may
 * hold line breaks (RFC 4180). Bytes are decoded as they come (a character split across two chunks is
 * carried over; malformed bytes become U+FFFD), so nothing but the current record is held.
 *
 * <p>A record ends at {@code \n}; a {@code \r} right before it, or right before the end of the body, is
 * dropped. The text after the last {@code \n} is a record when not empty, so a body ending with a line
 * break has no empty last record. A leading byte-order mark is skipped. A record longer than the limit
 * is not kept: it is returned as {@linkplain Cut#tooLong() too long} with its first characters, once
 * it ends. One instance serves one body and is not thread-safe.
 */
final class RecordCutter {

    /** One record's text without its line break, the 1-based line it starts on, and whether it was cut short. */
    record Cut(String text, long line, boolean tooLong) {}

    private final boolean csv;
    private final char delimiter;
    private final char quote;
    private final int maxLength;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private final StringBuilder current = new StringBuilder();
    private ByteBuffer carry = ByteBuffer.allocate(0);

    private long line = 1;
    private long startLine = 1;
    private boolean first = true;
    private boolean tooLong;
    private boolean quoted;
    private boolean fieldStart = true;
    private boolean justClosed;
    private List<Cut> out = new ArrayList<>();

    private RecordCutter(boolean csv, char delimiter, char quote, int maxLength) {
        this.csv = csv;
        this.delimiter = delimiter;
        this.quote = quote;
        this.maxLength = maxLength;
    }

    /** Cuts at every line break. */
    static RecordCutter lines(int maxLength) {
        return new RecordCutter(false, ',', '"', maxLength);
    }

    /** Cuts at line breaks outside quoted fields. */
    static RecordCutter csv(char delimiter, char quote, int maxLength) {
        return new RecordCutter(true, delimiter, quote, maxLength);
    }

    /** Reads one chunk (not kept after the call) and returns the records it completed. */
    List<Cut> feed(ByteBuffer chunk) {
        ByteBuffer in = chunk;
        if (carry.hasRemaining()) {
            in = ByteBuffer.allocate(carry.remaining() + chunk.remaining()).put(carry).put(chunk.duplicate()).flip();
        }
        decode(in, false);
        carry = in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : ByteBuffer.allocate(0);
        return taken();
    }

    /** Ends the body and returns its last record, if any. */
    List<Cut> end() {
        decode(carry, true);
        decoder.flush(chars);
        cut();
        if (current.length() > 0 || tooLong) {
            complete();
        }
        return taken();
    }

    private void decode(ByteBuffer in, boolean endOfInput) {
        CoderResult result;
        do {
            result = decoder.decode(in, chars, endOfInput);
            cut();
        } while (result.isOverflow());
    }

    private void cut() {
        chars.flip();
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (c == '\n') {
                line++;
                if (!quoted) {
                    complete();
                    continue;
                }
            } else if (csv) {
                track(c);
            }
            append(c);
        }
        chars.clear();
    }

    /**
     * Follows CSV quoting: a quote opens a quoted field only at the start of a field; inside, a quote
     * closes it, unless the next character is a quote too (a doubled quote), which reopens it.
     */
    private void track(char c) {
        boolean closing = false;
        if (quoted) {
            closing = c == quote;
            quoted = !closing;
        } else if (c == quote && (fieldStart || justClosed)) {
            quoted = true;
        }
        justClosed = closing;
        fieldStart = !quoted && c == delimiter;
    }

    private void append(char c) {
        if (tooLong) {
            return;
        }
        current.append(c);
        if (current.length() > maxLength + 1) { // + 1: room for a \r before the line break
            tooLong = true;
            current.setLength(LineOptions.KEPT_PREFIX);
        }
    }

    private void complete() {
        int end = current.length();
        if (!tooLong && end > 0 && current.charAt(end - 1) == '\r') {
            end--;
        }
        boolean over = tooLong || end > maxLength;
        String text = over ? current.substring(0, Math.min(current.length(), LineOptions.KEPT_PREFIX))
                : current.substring(0, end);
        out.add(new Cut(text, startLine, over));
        current.setLength(0);
        tooLong = false;
        quoted = false;
        justClosed = false;
        fieldStart = true;
        startLine = line;
    }

    private List<Cut> taken() {
        if (out.isEmpty()) {
            return List.of();
        }
        List<Cut> done = out;
        out = new ArrayList<>();
        return done;
    }
}
