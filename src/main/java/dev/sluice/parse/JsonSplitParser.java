package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonPointer;
import dev.sluice.Item;
import dev.sluice.ParseException;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Splits each text body into one item per element of the array at a JSON Pointer, streaming: the body
 * is fed to a {@link JsonSplitter} in UTF-8 chunks and elements leave as soon as they close.
 */
final class JsonSplitParser implements Stage {

    private final JsonPointer at;
    private final SplitOptions options;
    private final JsonFactory factory;

    JsonSplitParser(JsonPointer at, SplitOptions options) {
        this.at = at;
        this.options = options;
        this.factory = JsonSplitter.factory(options);
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        // One body at a time, in order; prefetch 1 keeps at most one more body waiting.
        return RunContext.use(run -> items.concatMap(item -> split(item, run.tally()), 1));
    }

    private Flux<Item> split(Item item, Tally tally) {
        if (item.isFailure()) {
            return Flux.just(item);
        }
        if (!item.value().isTextual()) {
            return Flux.just(JsonDocumentParser.notText(item, "json"));
        }
        Flux<Item> elements = JsonSplitter.elements(
                        Utf8Chunks.of(item.value().textValue()), factory, at, options, StrictJson.where(item))
                .map(item::withValue)
                .onErrorResume(ParseException.class, e -> Mono.just(failed(item, e)));
        return tally.expanding(item, elements);
    }

    /** The failed item keeps the whole body as its value, as {@code Parse.json()} does. */
    private static Item failed(Item item, ParseException e) {
        return item.fail(JsonDocumentParser.STAGE, Reason.PARSE, e.getMessage());
    }

    @Override
    public String toString() {
        return "JsonSplitParser[" + at + "]";
    }
}
