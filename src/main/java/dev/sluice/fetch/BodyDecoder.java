package dev.sluice.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.ParseException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;

/**
 * Turns a response body, as it streams in, into values: what {@link Fetch#decodeWith(BodyDecoder)}
 * plugs into a fetch so that, say, the elements of a JSON array flow before the body ends. The
 * pipeline-file layer wires {@code Parse.elements(chunks, pointer, options, url)} here.
 *
 * <p>A chunk is valid only during the {@code onNext} that delivers it (the fetch releases the
 * network buffer right after): read or copy it then, never keep it. Demand on {@code chunks} is
 * honoured. An error ends the item's values with a failed item: a {@link dev.sluice.ParseException}
 * as reason {@code parse} with its message, anything else as a transport failure. A decoder made with
 * {@link #ofItems(BiFunction)} emits items instead, failed ones included, so one bad record (an NDJSON
 * line, a CSV row) fails alone while the records after it still flow.
 */
@FunctionalInterface
public interface BodyDecoder {

    /**
     * Decodes one body.
     *
     * @param chunks the body's chunks, in order, decompressed, within the size limit
     * @param url the URL the body came from, for messages
     * @return the values, emitted as soon as they are complete
     */
    Flux<JsonNode> decode(Flux<ByteBuffer> chunks, String url);

    /**
     * Decodes one body into items derived from {@code response} (the fetched item, carrying the
     * response's URL, status and headers). By default each value of {@link #decode} becomes
     * {@code response.withValue(value)}.
     *
     * @param chunks the body's chunks, as for {@link #decode}
     * @param response the item the values derive from
     * @return the items, failed ones included, emitted as soon as they are complete
     */
    default Flux<Item> items(Flux<ByteBuffer> chunks, Item response) {
        return decode(chunks, response.metadata().url()).map(response::withValue);
    }

    /**
     * Returns a decoder that turns a body straight into items, good and failed, e.g.
     * {@code BodyDecoder.ofItems((chunks, item) -> Parse.ndjson(chunks, item, LineOptions.DEFAULTS))}.
     * Its {@link #decode} emits the good values and errors with a {@link ParseException} at the first
     * failed item.
     *
     * @param items decodes one body into items derived from the given item
     * @return a new decoder
     */
    static BodyDecoder ofItems(BiFunction<Flux<ByteBuffer>, Item, Flux<Item>> items) {
        Objects.requireNonNull(items, "items");
        return new BodyDecoder() {
            @Override
            public Flux<JsonNode> decode(Flux<ByteBuffer> chunks, String url) {
                Item template = Item.of(com.fasterxml.jackson.databind.node.NullNode.getInstance(),
                        dev.sluice.Metadata.of(dev.sluice.Origin.of(url, 0))
                                .withFetch(url, 0, java.util.Map.of(), 0, java.time.Duration.ZERO));
                return items.apply(chunks, template).handle((item, sink) -> {
                    if (item.isFailure()) {
                        sink.error(new ParseException(item.failure().orElseThrow().message(), 0, 0, null));
                    } else {
                        sink.next(item.value());
                    }
                });
            }

            @Override
            public Flux<Item> items(Flux<ByteBuffer> chunks, Item response) {
                return items.apply(chunks, response);
            }
        };
    }
}
