package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Parses each body as newline-delimited JSON: one item per non-blank line. A bad line becomes one
 * failed item (its value is the line's text) and the other lines still flow.
 */
final class NdjsonParser implements Stage {

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> items.concatMapIterable(item -> parse(item, run.tally())));
    }

    /** Parses one body into its items; holds at most that one body's items. */
    private static List<Item> parse(Item item, Tally tally) {
        if (item.isFailure()) {
            return List.of(item);
        }
        if (!item.value().isTextual()) {
            return List.of(JsonDocumentParser.notText(item, "ndjson"));
        }
        List<Item> out = lines(item);
        if (out.isEmpty()) {
            tally.filtered(item);
        } else {
            tally.expanded(item, out.size() - 1L);
        }
        return out;
    }

    private static List<Item> lines(Item item) {
        String body = item.value().textValue();
        String where = StrictJson.where(item);
        List<Item> out = new ArrayList<>();
        int start = 0;
        long lineNr = 1;
        while (start <= body.length()) {
            int end = body.indexOf('\n', start);
            int stop = end < 0 ? body.length() : end;
            int lineEnd = stop > start && body.charAt(stop - 1) == '\r' ? stop - 1 : stop;
            String line = body.substring(start, lineEnd);
            if (!line.isBlank()) {
                out.add(parseLine(item, line, lineNr, where));
            }
            if (end < 0) {
                break;
            }
            start = end + 1;
            lineNr++;
        }
        return out;
    }

    private static Item parseLine(Item item, String line, long lineNr, String where) {
        try {
            return item.withValue(StrictJson.read(line));
        } catch (JsonProcessingException e) {
            return item.withValue(TextNode.valueOf(line))
                    .fail(JsonDocumentParser.STAGE, Reason.PARSE, StrictJson.invalid(where, lineNr, e));
        }
    }
}
