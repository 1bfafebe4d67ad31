package dev.sluice.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import reactor.core.publisher.Flux;

/**
 * Turns a response body, as it streams in, into values: what {@link Fetch#decodeWith(BodyDecoder)}
 * plugs into a fetch so that, say, the elements of a JSON array flow before the body ends. The
 * pipeline-file layer wires {@code Parse.elements(chunks, pointer, options, url)} here.
 *
 * <p>A chunk is valid only during the {@code onNext} that delivers it (the fetch releases the
 * network buffer right after): read or copy it then, never keep it. Demand on {@code chunks} is
 * honoured. An error ends the item's values with a failed item: a {@link dev.sluice.ParseException}
 * as reason {@code parse} with its message, anything else as a transport failure.
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
}
