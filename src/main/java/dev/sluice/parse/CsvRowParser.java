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
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * Parses each text body as CSV, one item per row, streaming: records are cut from the body one at a
 * time ({@link CsvRecords}) and each is read on its own by Jackson's CSV reader, so a malformed row
 * fails alone while the rows around it flow.
 */
final class CsvRowParser implements Stage {

    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final CsvOptions options;
    private final ObjectReader reader;

    CsvRowParser(CsvOptions options) {
        this.options = options;
        this.reader = CSV.readerFor(String[].class).with(CsvSchema.emptySchema()
                .withColumnSeparator(options.delimiter())
                .withQuoteChar(options.quote())
                .withoutEscapeChar());
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        // One body at a time, in order; prefetch 1 keeps at most one more body waiting.
        return RunContext.use(run -> items.concatMap(item -> rows(item, run.tally()), 1));
    }

    private Flux<Item> rows(Item item, Tally tally) {
        if (item.isFailure()) {
            return Flux.just(item);
        }
        if (!item.value().isTextual()) {
            return Flux.just(JsonDocumentParser.notText(item, "csv"));
        }
        return tally.expanding(item, Flux.generate(() -> new Body(item), this::next));
    }

    /** Emits the next row of the body, or completes it. */
    private Body next(Body body, SynchronousSink<Item> sink) {
        CsvRecords.Record record;
        while ((record = body.done ? null : body.records.next()) != null) {
            Item row = body.header == null && options.header() ? header(body, record) : row(body, record);
            if (row != null) {
                sink.next(row);
                return body;
            }
        }
        sink.complete();
        return body;
    }

    /** Reads the header; returns null when it is good, else the failed item that ends the body. */
    private Item header(Body body, CsvRecords.Record record) {
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

    private Item row(Body body, CsvRecords.Record record) {
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

    private static Item failed(Body body, CsvRecords.Record record, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1
                ? "line " + record.line()
                : "line " + (record.line() + location.getLineNr() - 1) + ", column " + location.getColumnNr();
        return body.item.withValue(TextNode.valueOf(record.text())).fail(JsonDocumentParser.STAGE, Reason.PARSE,
                "invalid CSV in " + body.where + " at " + where + ": " + e.getOriginalMessage());
    }

    private static Item failed(Body body, CsvRecords.Record record, String detail) {
        return body.item.withValue(TextNode.valueOf(record.text())).fail(JsonDocumentParser.STAGE, Reason.PARSE,
                "invalid CSV in " + body.where + " at line " + record.line() + ": " + detail);
    }

    /** One body's progress: its records, its header once read, and whether it ended early. */
    private final class Body {
        final Item item;
        final String where;
        final CsvRecords records;
        List<String> header;
        boolean done;

        Body(Item item) {
            this.item = item;
            this.where = StrictJson.where(item);
            this.records = new CsvRecords(item.value().textValue(), options.delimiter(), options.quote());
        }
    }
}
