package dev.sluice.parse;

/**
 * How {@link Parse#csv(CsvOptions)} reads a CSV body.
 *
 * @param header whether the first record names the columns: then each row becomes an object keyed by
 *     those names; otherwise each row becomes an array of its fields. Default true.
 * @param delimiter the character between fields. Default {@code ','}.
 * @param quote the character that encloses a field holding delimiters, quotes or line breaks; inside
 *     it, a doubled quote stands for one (RFC 4180). Default {@code '"'}.
 * @param typedNumbers whether fields that are JSON numbers ({@code 42}, {@code -1.5e3}) become numbers;
 *     otherwise every field is a string. Default false.
 */
public record CsvOptions(boolean header, char delimiter, char quote, boolean typedNumbers) {

    /** The defaults: a header row, comma-separated, double-quoted, every field a string. */
    public static final CsvOptions DEFAULTS = new CsvOptions(true, ',', '"', false);

    /** Validates the characters. */
    public CsvOptions {
        if (delimiter == quote) {
            throw new IllegalArgumentException("delimiter and quote must differ, both were '" + delimiter + "'");
        }
        lineBreakNotAllowed("delimiter", delimiter);
        lineBreakNotAllowed("quote", quote);
    }

    /**
     * Sets whether the first record names the columns.
     *
     * @param withHeader true for objects keyed by the header, false for arrays of fields
     * @return a new {@code CsvOptions}
     */
    public CsvOptions withHeader(boolean withHeader) {
        return new CsvOptions(withHeader, delimiter, quote, typedNumbers);
    }

    /**
     * Sets the field delimiter, e.g. {@code ';'} or {@code '\t'}.
     *
     * @param newDelimiter the delimiter; not a line break, not the quote
     * @return a new {@code CsvOptions}
     */
    public CsvOptions withDelimiter(char newDelimiter) {
        return new CsvOptions(header, newDelimiter, quote, typedNumbers);
    }

    /**
     * Sets the quote character.
     *
     * @param newQuote the quote; not a line break, not the delimiter
     * @return a new {@code CsvOptions}
     */
    public CsvOptions withQuote(char newQuote) {
        return new CsvOptions(header, delimiter, newQuote, typedNumbers);
    }

    /**
     * Sets whether fields that are JSON numbers become numbers.
     *
     * @param typed true to turn {@code 42} into a number, false to keep every field a string
     * @return a new {@code CsvOptions}
     */
    public CsvOptions withTypedNumbers(boolean typed) {
        return new CsvOptions(header, delimiter, quote, typed);
    }

    private static void lineBreakNotAllowed(String name, char c) {
        if (c == '\n' || c == '\r') {
            throw new IllegalArgumentException(name + " must not be a line break, was " + (c == '\n' ? "\\n" : "\\r"));
        }
    }
}
