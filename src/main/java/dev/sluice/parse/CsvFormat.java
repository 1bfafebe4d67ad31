package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sluice.Item;
import dev.sluice.Reason;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CSV as a {@link RecordFormat}: records are cut from the body one at a time (quoted line breaks
 * included) and each is read on its own by Jackson's CSV reader, so a malformed row fails alone while
 * the rows around it flow. A bad header ends the body: without names no row can be read.
 */
final class CsvFormat implements RecordFormat {

    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final CsvOptions options;
    private final LineOptions lines;
    private final ObjectReader reader;

    CsvFormat(CsvOptions options, LineOptions lines) {
        this.options = options;
        this.lines = lines;
        this.reader = CSV.readerFor(String[].class).with(CsvSchema.emptySchema()
                .withColumnSeparator(options.delimiter())
                .withQuoteChar(options.quote())
                .withoutEscapeChar());
    }

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public RecordCutter cutter() {
        return RecordCutter.csv(options.delimiter(), options.quote(), lines.maxLength());
    }

    @Override
    public Reader reader(Item item) {
        Body body = new Body(item);
        return new Reader() {
            @Override
            public Item read(RecordCutter.Cut cut) {
                return CsvFormat.this.read(body, cut);
            }

            @Override
            public boolean ended() {
                return body.done;
            }
        };
    }

    private Item read(Body body, RecordCutter.Cut record) {
        if (record.tooLong()) {
            body.done = body.header == null && options.header();
            return RecordFormat.tooLong(body.item, "CSV", record, lines.maxLength());
        }
        if (record.text().isEmpty()) {
            return null;
        }
        return body.header == null && options.header() ? header(body, record) : row(body, record);
    }

    private Item header(Body body, RecordCutter.Cut record) {
        String[] names;
        try {
            names = reader.readValue(record.text());
        } catch (JsonProcessingException e) {
            body.done = true;
            return failed(body, record, e);
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                body.done = true;
                return failed(body, record, "duplicate column '" + name + "' in the header");
            }
        }
        body.header = List.of(names);
        return null;
    }

    private Item row(Body body, RecordCutter.Cut record) {
        String[] fields;
        try {
            fields = reader.readValue(record.text());
        } catch (JsonProcessingException e) {
            return failed(body, record, e);
        }
        if (!options.header()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode(fields.length);
            for (String field : fields) {
                array.add(value(field));
            }
            return body.item.withValue(array);
        }
        if (fields.length != body.header.size()) {
            return failed(body, record, "the row has " + fields.length + " fields, the header has "
                    + body.header.size());
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < fields.length; i++) {
            object.set(body.header.get(i), value(fields[i]));
        }
        return body.item.withValue(object);
    }

    private JsonNode value(String field) {
        if (options.typedNumbers() && NUMBER.matcher(field).matches()) {
            try {
                return JSON.readTree(field);
            } catch (JsonProcessingException e) {
                return TextNode.valueOf(field); // unreachable: the pattern only matches JSON numbers
            }
        }
        return TextNode.valueOf(field);
    }

    private static Item failed(Body body, RecordCutter.Cut record, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1
                ? "line " + record.line()
                : "line " + (record.line() + location.getLineNr() - 1) + ", column " + location.getColumnNr();
        return body.item.withValue(TextNode.valueOf(record.text())).fail(JsonDocumentParser.STAGE, Reason.PARSE,
                "invalid CSV in " + body.where + " at " + where + ": " + e.getOriginalMessage());
    }

    private static Item failed(Body body, RecordCutter.Cut record, String detail) {
        return body.item.withValue(TextNode.valueOf(record.text())).fail(JsonDocumentParser.STAGE, Reason.PARSE,
                "invalid CSV in " + body.where + " at line " + record.line() + ": " + detail);
    }

    /** One body's progress: its header once read, and whether it ended early. */
    private static final class Body {
        final Item item;
        final String where;
        List<String> header;
        boolean done;

        Body(Item item) {
            this.item = item;
            this.where = StrictJson.where(item);
        }
    }
}
