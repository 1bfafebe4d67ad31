package dev.sluice.parse;

import dev.sluice.Stage;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import dev.sluice.spec.ParsedConfig;
import dev.sluice.spec.Violation;
import dev.sluice.Item;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;

/** The spec of the {@code parse} step: its fields, declared once, and its factory. */
public final class ParseSpecs {

    static final Field<String> FORMAT = Field.oneOf("format", "json", "ndjson", "csv", "lines").defaultsTo("json")
            .describe("json: the whole body is one value (or one item per element with split); ndjson: one value per line;"
                    + " csv: one item per row; lines: one string per line of text. Bad lines and rows dead-letter alone."
                    + " Directly after a fetch, ndjson, csv, lines and split read the body while it streams in.");
    static final Field<String> SPLIT = Field.string("split")
            .check(p -> p.isEmpty() || p.startsWith("/"), "be a JSON Pointer such as /items, or '' for the top level")
            .describe("json only: emit one item per element of the array at this JSON Pointer. Directly after a fetch, "
                    + "the body is split while it streams in (constant memory; the fetch is retried only until the first element).");
    static final Field<Long> MAX_ELEMENT_BYTES = Field.size("max_element_bytes")
            .defaultsTo(SplitOptions.DEFAULTS.maxElementBytes()).check(n -> n >= 1, "be >= 1").advanced()
            .describe("json with split: the largest single element; a bigger one fails the body.");
    static final Field<Integer> MAX_NESTING_DEPTH = Field.integer("max_nesting_depth")
            .defaultsTo(SplitOptions.DEFAULTS.maxNestingDepth()).check(n -> n >= 1, "be >= 1").advanced()
            .describe("json with split: the deepest nesting accepted.");
    static final Field<Integer> MAX_LINE_LENGTH = Field.integer("max_line_length")
            .defaultsTo(LineOptions.DEFAULT_MAX_LENGTH).check(n -> n >= 1, "be >= 1").advanced()
            .describe("ndjson, csv and lines: the longest line (CSV record) in characters; a longer one is never held"
                    + " whole and dead-letters alone.");
    static final Field<Boolean> HEADER = Field.bool("header").defaultsTo(CsvOptions.DEFAULTS.header())
            .describe("csv: the first row names the columns (items are objects); otherwise items are arrays.");
    static final Field<String> DELIMITER = Field.string("delimiter")
            .defaultsTo(String.valueOf(CsvOptions.DEFAULTS.delimiter())).check(d -> d.length() == 1, "be one character")
            .describe("csv: the field separator.");
    static final Field<String> QUOTE = Field.string("quote")
            .defaultsTo(String.valueOf(CsvOptions.DEFAULTS.quote())).check(d -> d.length() == 1, "be one character")
            .advanced()
            .describe("csv: the quote character (RFC 4180 quoting).");
    static final Field<Boolean> TYPED_NUMBERS = Field.bool("typed_numbers").defaultsTo(CsvOptions.DEFAULTS.typedNumbers())
            .describe("csv: read numeric-looking fields as numbers instead of strings.");

    static final ComponentSpec<Stage> SPEC = ComponentSpec.<Stage>step("parse")
            .summary("Parses each fetched body into JSON items; malformed input dead-letters with its line and column.")
            .shorthand(FORMAT)
            .fields(SPLIT, HEADER, DELIMITER, TYPED_NUMBERS, QUOTE, MAX_ELEMENT_BYTES, MAX_NESTING_DEPTH, MAX_LINE_LENGTH)
            .rule(ParseSpecs::formatFieldsMatch)
            .example("A JSON body", "parse: json")
            .example("An NDJSON body", "parse: { format: ndjson }")
            .example("One item per element of .items", "parse: { format: json, split: /items }")
            .example("One string per line of a text file", "parse: lines")
            .example("A semicolon-separated CSV export", "parse: { format: csv, delimiter: ';', typed_numbers: true }")
            .beta()
            .factory(ParseSpecs::create);

    private ParseSpecs() {}

    private static Stage create(ParsedConfig c) {
        LineOptions lines = new LineOptions(c.get(MAX_LINE_LENGTH));
        return switch (c.get(FORMAT)) {
            case "ndjson" -> Parse.ndjson(lines);
            case "lines" -> Parse.lines(lines);
            case "csv" -> Parse.csv(csvOptions(c), lines);
            default -> c.find(SPLIT).map(pointer -> Parse.split(pointer, splitOptions(c))).orElseGet(Parse::json);
        };
    }

    private static CsvOptions csvOptions(ParsedConfig c) {
        return new CsvOptions(c.get(HEADER), c.get(DELIMITER).charAt(0), c.get(QUOTE).charAt(0), c.get(TYPED_NUMBERS));
    }

    private static SplitOptions splitOptions(ParsedConfig c) {
        return SplitOptions.DEFAULTS.withMaxElementBytes(c.get(MAX_ELEMENT_BYTES))
                .withMaxNestingDepth(c.get(MAX_NESTING_DEPTH));
    }

    /**
     * Returns a streaming reader for a {@code parse} step that reads records (ndjson, csv, lines, or
     * json with split), so the definition layer can fuse it into the fetch before it: records then
     * flow while the body streams in, in constant memory. Whole-body json has none.
     *
     * @param c the bound configuration of a parse step
     * @return a reader of body chunks into items derived from the given item (the fetched item with
     *     the response's metadata), or empty when the step parses whole bodies
     */
    public static Optional<BiFunction<Flux<ByteBuffer>, Item, Flux<Item>>> streaming(ParsedConfig c) {
        LineOptions lines = new LineOptions(c.get(MAX_LINE_LENGTH));
        return switch (c.get(FORMAT)) {
            case "ndjson" -> Optional.of((chunks, body) -> Parse.ndjson(chunks, body, lines));
            case "lines" -> Optional.of((chunks, body) -> Parse.lines(chunks, body, lines));
            case "csv" -> {
                CsvOptions csv = csvOptions(c);
                yield Optional.of((chunks, body) -> Parse.csv(chunks, body, csv, lines));
            }
            default -> c.find(SPLIT).map(pointer -> {
                SplitOptions split = splitOptions(c);
                return (chunks, body) -> Parse.elements(chunks, pointer, split, StrictJson.where(body))
                        .map(body::withValue);
            });
        };
    }

    private static List<Violation> formatFieldsMatch(ParsedConfig c) {
        List<Violation> out = new ArrayList<>();
        String format = c.get(FORMAT);
        for (Field<?> f : List.of(SPLIT, MAX_ELEMENT_BYTES, MAX_NESTING_DEPTH)) {
            if (c.isGiven(f) && !"json".equals(format)) {
                out.add(new Violation(f.name(), f.name() + " applies to format json only, format is " + format));
            }
        }
        if (c.isGiven(MAX_LINE_LENGTH) && "json".equals(format)) {
            out.add(new Violation(MAX_LINE_LENGTH.name(), "max_line_length applies to formats ndjson, csv and lines,"
                    + " format is json"));
        }
        for (Field<?> f : List.of(HEADER, DELIMITER, QUOTE, TYPED_NUMBERS)) {
            if (c.isGiven(f) && !"csv".equals(format)) {
                out.add(new Violation(f.name(), f.name() + " applies to format csv only, format is " + format));
            }
        }
        return out;
    }

    /**
     * Returns the specs of the parse package.
     *
     * @return the parse step
     */
    public static List<ComponentSpec<Stage>> all() {
        return List.of(SPEC);
    }
}
