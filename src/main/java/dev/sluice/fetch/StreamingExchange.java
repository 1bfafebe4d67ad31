package dev.sluice.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ParseException;
import dev.sluice.Reason;
import dev.sluice.Tally;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Map;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Makes one streamed request: sends it once it may go, then hands the body's chunks to a
 * {@link BodyDecoder} while they arrive, within the size limit. The returned flux does not error:
 * it emits the response head, then the decoded values, and ends with an {@link End} when something
 * failed. Redirects are not followed and there are no retries: values may already be downstream.
 */
final class StreamingExchange {

    private final Exchange exchange;
    private final FetchOptions options;
    private final Tally tally;
    private final HostGate gate;

    StreamingExchange(Exchange exchange, FetchOptions options, Tally tally, HostGate gate) {
        this.exchange = exchange;
        this.options = options;
        this.tally = tally;
        this.gate = gate;
    }

    /** What a streamed request emits. */
    sealed interface Streamed {}

    /**
     * The response head, before any value.
     *
     * @param status the status
     * @param headers the kept headers
     * @param url the URL
     */
    record Head(int status, Map<String, String> headers, String url) implements Streamed {}

    /** @param value one decoded value */
    record Value(JsonNode value) implements Streamed {}

    /** @param failed why the stream ended early, after the values before it */
    record End(Outcome.Failed failed) implements Streamed {}

    Flux<Streamed> stream(Request request, BodyDecoder decoder) {
        Outcome.Failed refused = exchange.refused(request);
        if (refused != null) {
            return Flux.just(new End(refused));
        }
        return gate.enter(Request.hostKey(request.uri())).thenMany(Flux.defer(() -> send(request, decoder)));
    }

    private Flux<Streamed> send(Request request, BodyDecoder decoder) {
        tally.request();
        Timing timing = new Timing();
        return exchange.receiver(request)
                .response((response, body) -> read(request, response, body, decoder))
                .contextWrite(timing::into)
                .onErrorResume(e -> Mono.just(new End(failure(request, e, timing))));
    }

    private Flux<Streamed> read(Request request, HttpClientResponse response, ByteBufFlux body, BodyDecoder decoder) {
        int status = response.status().code();
        if (status >= 400) {
            String message = (request.method() + " " + request.text() + " returned " + status + " "
                    + response.status().reasonPhrase()).strip();
            End end = new End(new Outcome.Failed(Reason.HTTP_STATUS, message, status, request.text(), false,
                    response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER)));
            return body.then(Mono.<Streamed>just(end)).flux();
        }
        long[] total = {0};
        Flux<java.nio.ByteBuffer> chunks = body
                .<ByteBuf>handle((chunk, sink) -> count(chunk, sink, total, status))
                .map(ByteBuf::nioBuffer);
        Head head = new Head(status, Exchange.kept(response.responseHeaders()), request.text());
        return Flux.concat(Mono.just(head), decoder.decode(chunks, request.text()).map(Value::new));
    }

    private void count(ByteBuf chunk, SynchronousSink<ByteBuf> sink, long[] total, int status) {
        int n = chunk.readableBytes();
        total[0] += n;
        tally.bytesIn(n);
        if (total[0] > options.maxBody()) {
            sink.error(new BodyBuffer.TooLarge("body exceeds the maximum of " + options.maxBody() + " bytes", status));
        } else if (n > 0) {
            sink.next(chunk);
        }
    }

    private Outcome.Failed failure(Request request, Throwable error, Timing timing) {
        Throwable e = Exceptions.unwrap(error);
        if (e instanceof ParseException) {
            return new Outcome.Failed(Reason.PARSE, e.getMessage(), 0, request.text(), false, null);
        }
        return (Outcome.Failed) exchange.broken(request, error, timing);
    }
}
