package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Reason;
import java.nio.ByteBuffer;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * A line-based format (NDJSON, text lines, CSV): how a body is cut into records and how each record
 * becomes an item. {@link #items} reads a body that arrives in chunks, so the whole-body stages and a
 * fetch that streams its response share one reader.
 */
interface RecordFormat {

    /** The format's name in messages, e.g. {@code ndjson}. */
    String name();

    /** A fresh cutter for one body. */
    RecordCutter cutter();

    /** A fresh reader for one body, whose items derive from {@code body}. */
    Reader reader(Item body);

    /** Turns the records of one body into items, in order; keeps per-body state such as a CSV header. */
    interface Reader {
        /** The item for {@code cut} (maybe failed), or null when the record yields none (a blank line). */
        Item read(RecordCutter.Cut cut);

        /** Whether the body ended early (a bad CSV header): no more records are read. */
        default boolean ended() {
            return false;
        }
    }

    /**
     * Reads a chunked body into items: good ones, and failed ones (reason {@code parse}) for records
     * that do not read, while the others still flow. Chunks are read during {@code onNext} and not
     * kept. Demand is honoured; memory holds the current record plus one chunk's records.
     */
    static Flux<Item> items(Flux<ByteBuffer> chunks, Item body, RecordFormat format) {
        return Flux.defer(() -> {
            RecordCutter cutter = format.cutter();
            Reader reader = format.reader(body);
            return chunks.<List<RecordCutter.Cut>>handle((chunk, sink) -> {
                        List<RecordCutter.Cut> cuts = cutter.feed(chunk);
                        if (!cuts.isEmpty()) {
                            sink.next(cuts);
                        }
                    })
                    .concatWith(Mono.fromSupplier(cutter::end))
                    .concatMapIterable(cuts -> cuts, 1)
                    .handle((RecordCutter.Cut cut, SynchronousSink<Item> sink) -> read(reader, cut, sink));
        });
    }

    private static void read(Reader reader, RecordCutter.Cut cut, SynchronousSink<Item> sink) {
        Item item = reader.read(cut);
        if (item != null) {
            sink.next(item);
        }
        if (reader.ended()) {
            sink.complete();
        }
    }

    /** The failed item for a record over the length limit; its value is the record's first characters. */
    static Item tooLong(Item body, String format, RecordCutter.Cut cut, int maxLength) {
        return body.withValue(TextNode.valueOf(cut.text())).fail(JsonDocumentParser.STAGE, Reason.PARSE,
                "invalid " + format + " in " + StrictJson.where(body) + " at line " + cut.line()
                        + ": the record is longer than " + maxLength + " characters; raise max_line_length");
    }

    /** One item per line, its text as a JSON string. */
    static RecordFormat lines(LineOptions options) {
        return new RecordFormat() {
            @Override
            public String name() {
                return "lines";
            }

            @Override
            public RecordCutter cutter() {
                return RecordCutter.lines(options.maxLength());
            }

            @Override
            public Reader reader(Item body) {
                return cut -> cut.tooLong() ? tooLong(body, "text", cut, options.maxLength())
                        : body.withValue(TextNode.valueOf(cut.text()));
            }
        };
    }

    /** One item per non-blank line, parsed as one JSON value. */
    static RecordFormat ndjson(LineOptions options) {
        return new RecordFormat() {
            @Override
            public String name() {
                return "ndjson";
            }

            @Override
            public RecordCutter cutter() {
                return RecordCutter.lines(options.maxLength());
            }

            @Override
            public Reader reader(Item body) {
                String where = StrictJson.where(body);
                return cut -> cut.tooLong() ? tooLong(body, "JSON", cut, options.maxLength())
                        : cut.text().isBlank() ? null : line(body, cut, where);
            }
        };
    }

    private static Item line(Item body, RecordCutter.Cut cut, String where) {
        try {
            return body.withValue(StrictJson.read(cut.text()));
        } catch (JsonProcessingException e) {
            return body.withValue(TextNode.valueOf(cut.text()))
                    .fail(JsonDocumentParser.STAGE, Reason.PARSE, StrictJson.invalid(where, cut.line(), e));
        }
    }
}
