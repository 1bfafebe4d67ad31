package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.Stage;
import java.nio.ByteBuffer;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * Creates the parse stages, which turn a fetched body (an item whose value is the body text) into
 * JSON items.
 *
 * <p>Every parse stage passes failed items through untouched and turns a body it cannot read into a
 * failed item with {@link dev.sluice.Reason#PARSE}; a body that is not text (say, an item that was
 * already parsed) fails with {@code "parse json expects a text body, got object"}. Messages name the
 * item's URL, or its origin when it was not fetched, with the line and column:
 * {@code "invalid JSON in https://host/a.json at line 3, column 3: Unexpected character ..."}.
 *
 * <p>Parsing is CPU work done on whatever thread delivers the item (often a Netty event loop right
 * after the fetch); the stages never hop to another scheduler. Items keep their metadata. Limits:
 * nesting depth 1000, strings up to 20,000,000 characters, documents up to 100 MiB; beyond them the
 * item fails ({@link #split(String, SplitOptions)} has its own, streaming limits).
 */
public final class Parse {

    private static final Stage JSON = new JsonDocumentParser();
    private static final Stage NDJSON = ndjson(LineOptions.DEFAULTS);
    private static final Stage LINES = lines(LineOptions.DEFAULTS);

    private Parse() {}

    /**
     * Returns a stage that parses each body as exactly one JSON value (object, array or scalar), so
     * one item comes out per item in. Content after the value, such as {@code {"a":1} xyz}, is an
     * error, and so is an empty body.
     *
     * @return the shared, stateless stage
     */
    public static Stage json() {
        return JSON;
    }

    /**
     * Parses a fetched body from its bytes exactly as {@link #json()} parses {@code fetched}, whose
     * value is the same body as a JSON string: the same value, or the same failed item (stage
     * {@code parse}, same message and location). A fetch fuses a following {@code parse: json} with
     * it ({@code Fetch.parseWith(Parse::json)}), so a body is parsed once from its bytes instead of
     * again from a decoded string. Bodies the byte parser might read differently from their text (not
     * well-formed UTF-8, a byte-order mark or a NUL among the first four bytes), and bodies that fail,
     * take the text path.
     *
     * @param body the body as received
     * @param fetched the fetched item, its value the body decoded as UTF-8
     * @return the parsed or failed item; a failed {@code fetched} unchanged
     */
    public static Item json(byte[] body, Item fetched) {
        if (fetched.isFailure()) {
            return fetched;
        }
        JsonNode value = StrictJson.readPlain(body);
        return value != null ? fetched.withValue(value) : JsonDocumentParser.parse(fetched);
    }

    /**
     * Returns a stage that parses each body as newline-delimited JSON: one item per non-blank line.
     * Lines end at {@code \n}, with an optional {@code \r} before it; line numbers in messages count
     * every line of the body, blank ones included. A bad line becomes one failed item whose value is
     * that line's text, while the other lines still flow. A body with {@code n} lines adds
     * {@code n - 1} to the run's {@code expanded} count; a body without any is counted as filtered.
     * Lines stream out one at a time; lines longer than {@link LineOptions#DEFAULT_MAX_LENGTH}
     * characters fail alone (see {@link #ndjson(LineOptions)}).
     *
     * @return the shared, stateless stage
     */
    public static Stage ndjson() {
        return NDJSON;
    }

    /**
     * Returns a stage that parses each body as CSV with a header row, comma-separated and
     * double-quoted, every field a string; see {@link #csv(CsvOptions)}.
     *
     * @return the shared, stateless stage
     */
    public static Stage csv() {
        return DefaultCsv.STAGE;
    }

    /**
     * The default CSV stage, made at its first use: building the CSV reader costs about 10 ms of
     * start-up, which runs without a CSV step should not pay.
     */
    private static final class DefaultCsv {
        static final Stage STAGE = csv(CsvOptions.DEFAULTS);
    }

    /**
     * Returns a stage that parses each body as CSV (RFC 4180): one item per row, an object keyed by
     * the header row's names, or with {@code header(false)} an array of the row's fields. Fields are
     * strings, or numbers for fields that are JSON numbers when {@code typedNumbers} is on. Quoted
     * fields may hold delimiters, doubled quotes and line breaks; records end at {@code \n} or
     * {@code \r\n}; empty lines and a leading byte-order mark are skipped.
     *
     * <p>Rows stream out one at a time as the body is read; a body with {@code n} rows adds
     * {@code n - 1} to the run's {@code expanded} count, and one without any (only a header, or
     * empty) counts as filtered. A malformed row, or one whose field count differs from the header's,
     * becomes one failed item with reason {@code parse}, the row's text as its value and its line
     * ({@code "invalid CSV in <url> at line 4, column 7: Missing closing quote for value"}), while the
     * other rows still flow. An unclosed quote runs to the end of the body, so the rest of the body is
     * that one failed row. A malformed header, or one naming a column twice, fails the body as one
     * item: without names no row can be read.
     *
     * @param options how to read the CSV
     * @return a new stage
     */
    public static Stage csv(CsvOptions options) {
        return csv(options, LineOptions.DEFAULTS);
    }

    /**
     * Returns a stage that parses each body as CSV, as {@link #csv(CsvOptions)} does, with a limit on
     * the length of one record: a longer record becomes one failed item (its value the record's first
     * {@value LineOptions#KEPT_PREFIX} characters, message {@code "invalid CSV in <url> at line 9: the
     * record is longer than ... characters; raise max_line_length"}), while the rows after it flow; an
     * over-long header fails the body.
     *
     * @param options how to read the CSV
     * @param lines the record length limit
     * @return a new stage
     */
    public static Stage csv(CsvOptions options, LineOptions lines) {
        return new RecordParser(new CsvFormat(Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(lines, "lines")));
    }

    /**
     * Returns a stage that parses each body as newline-delimited JSON, as {@link #ndjson()} does, with
     * a limit on the length of one line: a longer line is never held whole; it becomes one failed
     * item (its value the line's first {@value LineOptions#KEPT_PREFIX} characters), while the lines
     * after it still flow.
     *
     * @param options the line length limit
     * @return a new stage
     */
    public static Stage ndjson(LineOptions options) {
        return new RecordParser(RecordFormat.ndjson(Objects.requireNonNull(options, "options")));
    }

    /**
     * Returns a stage that turns each body into one item per line of text, the line as a JSON string,
     * with the default {@link LineOptions}; see {@link #lines(LineOptions)}.
     *
     * @return the shared, stateless stage
     */
    public static Stage lines() {
        return LINES;
    }

    /**
     * Returns a stage that turns each body into one item per line of text, the line as a JSON string.
     * Lines end at {@code \n}; a {@code \r} right before it (CRLF) or right before the end of the body
     * is dropped, other {@code \r} characters are kept. Empty lines are items ({@code ""}), but a body
     * that ends with a line break has no empty last line: {@code "a\nb\n"} and {@code "a\nb"} are both
     * two lines, and an empty body is none (counted as filtered). A leading byte-order mark is
     * skipped; bytes that are not UTF-8 become U+FFFD when fetched. A line longer than
     * {@code options.maxLength()} becomes one failed item with reason {@code parse}, the others flow.
     * A body with {@code n} lines adds {@code n - 1} to the run's {@code expanded} count.
     *
     * @param options the line length limit
     * @return a new stage
     */
    public static Stage lines(LineOptions options) {
        return new RecordParser(RecordFormat.lines(Objects.requireNonNull(options, "options")));
    }

    /**
     * Reads a body that arrives in chunks as NDJSON, for stages that stream a response (a fetch):
     * one item per non-blank line, derived from {@code body} (its metadata kept, the line's value as
     * its value), as {@link #ndjson(LineOptions)} reads a text. Items leave as soon as their line
     * ends, before the body does; a bad line is one failed item and the items after it still flow.
     * Each chunk is read during {@code onNext} and not kept; demand is honoured. Nothing is counted
     * in any tally: the caller owns the accounting.
     *
     * @param chunks the body's bytes, UTF-8, in order
     * @param body the item the records derive from, e.g. the fetched item with the response's metadata
     * @param options the line length limit
     * @return a cold flux of items; it errors only when {@code chunks} does
     */
    public static Flux<Item> ndjson(Flux<ByteBuffer> chunks, Item body, LineOptions options) {
        return RecordFormat.items(Objects.requireNonNull(chunks, "chunks"), Objects.requireNonNull(body, "body"),
                RecordFormat.ndjson(Objects.requireNonNull(options, "options")));
    }

    /**
     * Reads a body that arrives in chunks as text lines, one item per line, as
     * {@link #lines(LineOptions)} reads a text; streaming as {@link #ndjson(Flux, Item, LineOptions)}.
     *
     * @param chunks the body's bytes, UTF-8, in order
     * @param body the item the lines derive from
     * @param options the line length limit
     * @return a cold flux of items; it errors only when {@code chunks} does
     */
    public static Flux<Item> lines(Flux<ByteBuffer> chunks, Item body, LineOptions options) {
        return RecordFormat.items(Objects.requireNonNull(chunks, "chunks"), Objects.requireNonNull(body, "body"),
                RecordFormat.lines(Objects.requireNonNull(options, "options")));
    }

    /**
     * Reads a body that arrives in chunks as CSV, one item per row, as
     * {@link #csv(CsvOptions, LineOptions)} reads a text; streaming as
     * {@link #ndjson(Flux, Item, LineOptions)}. A bad header ends the flux with one failed item.
     *
     * @param chunks the body's bytes, UTF-8, in order
     * @param body the item the rows derive from
     * @param options how to read the CSV
     * @param lines the record length limit
     * @return a cold flux of items; it errors only when {@code chunks} does
     */
    public static Flux<Item> csv(Flux<ByteBuffer> chunks, Item body, CsvOptions options, LineOptions lines) {
        return RecordFormat.items(Objects.requireNonNull(chunks, "chunks"), Objects.requireNonNull(body, "body"),
                new CsvFormat(Objects.requireNonNull(options, "options"), Objects.requireNonNull(lines, "lines")));
    }

    /**
     * Returns a stage that splits each body into one item per element of the JSON array at
     * {@code pointer}, with the default {@link SplitOptions}; see {@link #split(String, SplitOptions)}.
     *
     * @param pointer a JSON Pointer such as {@code "/items"} or {@code "/data/items"}, or {@code ""} for
     *     a top-level array
     * @return a new stage
     * @throws IllegalArgumentException when {@code pointer} is not a JSON Pointer
     */
    public static Stage split(String pointer) {
        return split(pointer, SplitOptions.DEFAULTS);
    }

    /**
     * Returns a stage that splits each body into one item per element of the JSON array at
     * {@code pointer}, streaming: the body is read with Jackson's non-blocking parser and each element
     * leaves as soon as it closes, so memory holds one element at a time (at most
     * {@link SplitOptions#maxElementBytes()}), not the whole array. Elements keep the body's metadata.
     *
     * <p>A body whose array has {@code n} elements adds {@code n - 1} to the run's {@code expanded}
     * count, counted as the elements leave; an empty array counts the body as filtered. The first
     * problem ends the body as one failed item with reason {@code parse} (its value is the body text),
     * after the elements that came before it: bad syntax ({@code "invalid JSON in <url> at line 3,
     * column 5: ..."}), an element or body over its limit, or no array at the pointer. A pointer that
     * matches nothing is such a failure ({@code "cannot split <url> at '/items': no such value"}), not
     * an empty result, so a misspelled pointer does not pass silently; so is a value there that is not
     * an array, {@code null} included. Content after the document is an error, as in {@link #json()}.
     * Only the first array at the pointer is split; bodies are split one at a time, in order.
     *
     * @param pointer a JSON Pointer such as {@code "/items"}, or {@code ""} for a top-level array
     * @param options the limits
     * @return a new stage
     * @throws IllegalArgumentException when {@code pointer} is not a JSON Pointer
     */
    public static Stage split(String pointer, SplitOptions options) {
        return new JsonSplitParser(pointer(pointer), Objects.requireNonNull(options, "options"));
    }

    /**
     * Splits a body that arrives in chunks into the elements of the JSON array at {@code pointer}, for
     * stages that stream a response (a fetch) rather than hold it as text. Each chunk is fed to
     * Jackson's non-blocking parser on the thread that delivers it, during {@code onNext}, and is not
     * read afterwards, so it may be released or reused as soon as {@code onNext} returns. Elements are
     * emitted as soon as they close, before the body ends; demand is honoured (one chunk is requested
     * at a time) and memory holds one element plus one chunk's worth of completed elements.
     *
     * <p>The first problem ends the flux with a {@link dev.sluice.ParseException} (message, line and
     * column as described in {@link #split(String, SplitOptions)}) after the elements before it, and
     * cancels {@code chunks}. Nothing is counted in any tally: the caller owns the accounting.
     *
     * @param chunks the body, in order; empty buffers are skipped
     * @param pointer a JSON Pointer such as {@code "/items"}, or {@code ""} for a top-level array
     * @param options the limits
     * @param source names the body in messages, e.g. its URL
     * @return a cold flux of the elements; each subscription subscribes to {@code chunks} once
     * @throws IllegalArgumentException when {@code pointer} is not a JSON Pointer
     */
    public static Flux<JsonNode> elements(
            Flux<ByteBuffer> chunks, String pointer, SplitOptions options, String source) {
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(source, "source");
        JsonPointer at = pointer(pointer);
        return Flux.defer(() -> JsonSplitter.elements(chunks, JsonSplitter.factory(options), at, options, source));
    }

    private static JsonPointer pointer(String pointer) {
        Objects.requireNonNull(pointer, "pointer");
        try {
            return JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid JSON Pointer '" + pointer + "': " + e.getMessage()
                    + "; write e.g. \"/items\", or \"\" for a top-level array", e);
        }
    }
}
