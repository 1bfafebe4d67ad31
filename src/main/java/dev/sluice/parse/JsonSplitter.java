package dev.sluice.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.sluice.ParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * Splits one JSON body, fed in chunks as they arrive, into the elements of the array at a JSON
 * Pointer, with Jackson's non-blocking parser: each chunk is fed, then tokens are pulled until the
 * parser needs more input, so no thread ever waits for bytes.
 *
 * <p>Tokens of the current element are copied into a {@link TokenBuffer}; when the element closes it
 * becomes a {@link JsonNode} and the buffer is dropped, so memory holds one element (bounded by
 * {@link SplitOptions#maxElementBytes()}) plus the parser's own buffers, whatever the body's size.
 * Tokens outside the array are only checked for well-formedness, never kept.
 *
 * <p>The first problem (bad syntax, a limit, no array at the pointer) ends the body: elements
 * completed before it are returned, then the failure; nothing after it is read. One instance serves
 * one body and is not thread-safe (Reactor calls it serially).
 */
final class JsonSplitter implements AutoCloseable {

    /** Turns element token buffers into trees; limits were already enforced by the streaming parser. */
    private static final ObjectMapper TREES = new ObjectMapper();

    private enum State { SEEKING, IN_ARRAY, DONE }

    private final JsonParser parser;
    private final ByteBufferFeeder feeder;
    private final JsonPointer at;
    private final SplitOptions options;
    private final String source;

    private State state = State.SEEKING;
    private boolean rootDone;
    private TokenBuffer element;
    private int depth;
    private long elementStart;
    private JsonLocation elementLocation;
    private long index;
    private long fed;
    private ParseException failure;

    JsonSplitter(JsonFactory factory, JsonPointer at, SplitOptions options, String source) {
        try {
            this.parser = factory.createNonBlockingByteBufferParser();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // creating a parser performs no I/O
        }
        this.feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
        this.at = at;
        this.options = options;
        this.source = source;
    }

    /** Builds the parser factory for {@code options}; thread-safe, build it once and share it. */
    static JsonFactory factory(SplitOptions options) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(options.maxNestingDepth())
                        .maxStringLength(options.maxStringLength())
                        .maxDocumentLength(-1) // counted by the splitter itself, in bytes
                        .build())
                .build();
    }

    /**
     * Splits a chunked body. Each chunk is fed as it arrives (on the delivering thread) and may be
     * reused or released once {@code onNext} returns. A problem ends the flux with a
     * {@link ParseException} after the elements before it, and cancels the chunks.
     */
    static Flux<JsonNode> elements(
            Flux<ByteBuffer> chunks, JsonFactory factory, JsonPointer at, SplitOptions options, String source) {
        return Flux.using(
                () -> new JsonSplitter(factory, at, options, source),
                splitter -> chunks.<Batch>handle(splitter::feedInto)
                        .concatWith(Mono.fromSupplier(splitter::end))
                        .concatMap(Batch::flux, 1),
                JsonSplitter::close);
    }

    /** Feeds one chunk and emits what it completed; a failure completes the chunks early. */
    private void feedInto(ByteBuffer chunk, SynchronousSink<Batch> sink) {
        Batch batch = feed(chunk);
        if (!batch.isEmpty()) {
            sink.next(batch);
        }
        if (batch.failure() != null) {
            sink.complete();
        }
    }

    /**
     * Feeds one chunk and returns the elements it completed; after a failure it returns that failure
     * with the elements completed before it, and later calls return nothing.
     */
    Batch feed(ByteBuffer chunk) {
        if (failure != null || !chunk.hasRemaining()) {
            return Batch.EMPTY;
        }
        fed += chunk.remaining();
        if (fed > options.maxDocumentBytes()) {
            failure = new ParseException("cannot split " + source + ": the body is larger than "
                    + options.maxDocumentBytes() + " bytes; raise max_document_bytes", 0, 0, null);
            return new Batch(List.of(), failure);
        }
        try {
            feeder.feedInput(chunk);
        } catch (IOException e) {
            return failed(List.of(), e);
        }
        return drain();
    }

    /** Signals the end of the body and returns the last elements, or the failure when it is incomplete. */
    Batch end() {
        if (failure != null) {
            return Batch.EMPTY;
        }
        feeder.endOfInput();
        Batch last = drain();
        if (last.failure() == null && state == State.SEEKING) {
            failure = new ParseException("cannot split " + source + " at " + describe(at) + ": no such value", 0, 0,
                    null);
            return new Batch(last.elements(), failure);
        }
        return last;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException ignored) {
            // Closing releases buffers; there is nothing left to report.
        }
    }

    private Batch drain() {
        List<JsonNode> out = new ArrayList<>();
        try {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                JsonNode done = accept(token);
                if (done != null) {
                    out.add(done);
                }
            }
            if (element != null) {
                guardSize(parser.currentLocation());
            }
        } catch (ParseException e) {
            failure = e;
        } catch (IOException e) {
            return failed(out, e);
        }
        return new Batch(out, failure);
    }

    private JsonNode accept(JsonToken token) throws IOException {
        if (rootDone) {
            throw problem("unexpected content after the JSON value", parser.currentTokenLocation());
        }
        JsonNode done = switch (state) {
            case SEEKING -> seek(token);
            case IN_ARRAY -> inArray(token);
            case DONE -> null;
        };
        if (parser.getParsingContext().inRoot() && (token.isScalarValue() || token.isStructEnd())) {
            rootDone = true;
        }
        return done;
    }

    private JsonNode seek(JsonToken token) {
        if (!token.isScalarValue() && !token.isStructStart()) {
            return null;
        }
        JsonStreamContext context = parser.getParsingContext();
        JsonStreamContext valueContext = token.isStructStart() ? context.getParent() : context;
        if (!at.toString().equals(valueContext.pathAsPointer().toString())) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            throw problem("found " + kind(token) + " at " + describe(at) + ", not an array",
                    parser.currentTokenLocation());
        }
        state = State.IN_ARRAY;
        return null;
    }

    private JsonNode inArray(JsonToken token) throws IOException {
        if (element == null) {
            if (token == JsonToken.END_ARRAY) {
                state = State.DONE;
                return null;
            }
            elementLocation = parser.currentTokenLocation();
            elementStart = elementLocation.getByteOffset();
            element = new TokenBuffer(parser);
            depth = 0;
        }
        element.copyCurrentEvent(parser);
        if (token.isStructStart()) {
            depth++;
        } else if (token.isStructEnd()) {
            depth--;
        }
        if (depth > 0) {
            return null;
        }
        guardSize(parser.currentLocation());
        JsonNode node;
        try (JsonParser tokens = element.asParser()) {
            node = TREES.readTree(tokens);
        }
        element = null;
        index++;
        return node;
    }

    /** Fails when the current element already spans more bytes than allowed. */
    private void guardSize(JsonLocation now) {
        if (now.getByteOffset() - elementStart > options.maxElementBytes()) {
            throw problem("element " + (index + 1) + " is larger than " + options.maxElementBytes()
                    + " bytes; raise max_element_bytes", elementLocation);
        }
    }

    private ParseException problem(String detail, JsonLocation location) {
        return new ParseException("cannot split " + source + " at " + describe(at) + ": " + detail + " (line "
                + location.getLineNr() + ", column " + location.getColumnNr() + ")",
                location.getLineNr(), location.getColumnNr(), null);
    }

    private Batch failed(List<JsonNode> before, IOException e) {
        if (e instanceof JsonProcessingException jpe) {
            JsonLocation location = jpe.getLocation() != null ? jpe.getLocation() : parser.currentLocation();
            failure = new ParseException(StrictJson.invalid(source, 0, withLocation(jpe, location)),
                    location.getLineNr(), location.getColumnNr(), e);
        } else {
            failure = new ParseException("cannot split " + source + ": " + e.getMessage(), 0, 0, e);
        }
        return new Batch(before, failure);
    }

    /** Limit violations carry no location; give them the parser's. */
    private JsonProcessingException withLocation(JsonProcessingException e, JsonLocation location) {
        return e.getLocation() != null ? e : new com.fasterxml.jackson.core.JsonParseException(
                parser, e.getOriginalMessage(), location, e);
    }

    private static String describe(JsonPointer pointer) {
        return pointer.toString().isEmpty() ? "the root" : "'" + pointer + "'";
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The elements one call completed and, when it failed, the failure that followed them. */
    record Batch(List<JsonNode> elements, ParseException failure) {

        static final Batch EMPTY = new Batch(List.of(), null);

        boolean isEmpty() {
            return elements.isEmpty() && failure == null;
        }

        Flux<JsonNode> flux() {
            Flux<JsonNode> good = Flux.fromIterable(elements);
            return failure == null ? good : good.concatWith(Mono.error(failure));
        }
    }
}
