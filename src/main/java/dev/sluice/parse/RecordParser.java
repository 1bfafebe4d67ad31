package dev.sluice.parse;

import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import reactor.core.publisher.Flux;

/**
 * Parses each text body in a line-based format, streaming: the text is fed to the format's reader in
 * UTF-8 chunks and records leave one at a time, a bad one failing alone while the others flow.
 */
final class RecordParser implements Stage {

    private final RecordFormat format;

    RecordParser(RecordFormat format) {
        this.format = format;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        // One body at a time, in order; prefetch 1 keeps at most one more body waiting.
        return RunContext.use(run -> items.concatMap(item -> records(item, run.tally()), 1));
    }

    private Flux<Item> records(Item item, Tally tally) {
        if (item.isFailure()) {
            return Flux.just(item);
        }
        if (!item.value().isTextual()) {
            return Flux.just(JsonDocumentParser.notText(item, format.name()));
        }
        return tally.expanding(item, RecordFormat.items(Utf8Chunks.of(item.value().textValue()), item, format));
    }

    @Override
    public String toString() {
        return "RecordParser[" + format.name() + "]";
    }
}
