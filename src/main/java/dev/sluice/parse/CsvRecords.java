package dev.sluice.parse;

/**
 * Cuts a CSV text into records, honouring quoted fields: a line break inside quotes belongs to the
 * field (RFC 4180). A quote opens a quoted field only at the start of a field; elsewhere it is text,
 * as Jackson's CSV parser reads it. Records end at {@code \n} or {@code \r\n}; empty lines are skipped.
 * An unclosed quote runs to the end of the text, which then is one (malformed) record.
 */
final class CsvRecords {

    /** One record's text, without its line break, and the 1-based line it starts on. */
    record Record(String text, long line) {}

    private final String text;
    private final char delimiter;
    private final char quote;
    private int position;
    private long line = 1;

    CsvRecords(String text, char delimiter, char quote) {
        this.text = text;
        this.delimiter = delimiter;
        this.quote = quote;
        this.position = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
    }

    /** Returns the next non-empty record, or null at the end. */
    Record next() {
        while (position < text.length()) {
            Record record = cut();
            if (!record.text().isEmpty()) {
                return record;
            }
        }
        return null;
    }

    private Record cut() {
        int start = position;
        long startLine = line;
        boolean fieldStart = true;
        boolean quoted = false;
        int i = start;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                if (!quoted) {
                    break;
                }
            } else if (quoted) {
                if (c == quote && nextIs(i, quote)) {
                    i++; // a doubled quote stands for one quote character
                } else if (c == quote) {
                    quoted = false;
                }
            } else if (c == quote && fieldStart) {
                quoted = true;
            }
            fieldStart = !quoted && c == delimiter;
        }
        position = Math.min(i + 1, text.length());
        int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
        return new Record(text.substring(start, end), startLine);
    }

    private boolean nextIs(int i, char c) {
        return i + 1 < text.length() && text.charAt(i + 1) == c;
    }
}
