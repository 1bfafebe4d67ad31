package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.Item;
import dev.sluice.Reason;
import dev.sluice.Stage;
import reactor.core.publisher.Flux;

/** Parses each body as exactly one JSON value. */
final class JsonDocumentParser implements Stage {

    static final String STAGE = "parse";

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return items.map(JsonDocumentParser::parse);
    }

    static Item parse(Item item) {
        if (item.isFailure()) {
            return item;
        }
        if (!item.value().isTextual()) {
            return notText(item, "json");
        }
        try {
            return item.withValue(StrictJson.read(item.value().textValue()));
        } catch (JsonProcessingException e) {
            return item.fail(STAGE, Reason.PARSE, StrictJson.invalid(StrictJson.where(item), 0, e));
        }
    }

    static Item notText(Item item, String format) {
        String type = item.value().getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return item.fail(STAGE, Reason.PARSE, "parse " + format + " expects a text body, got " + type);
    }
}
