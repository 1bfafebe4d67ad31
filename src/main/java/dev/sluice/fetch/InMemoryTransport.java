package dev.sluice.fetch;

import dev.sluice.RunContext;
import dev.sluice.Tally;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.channels.ClosedChannelException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The {@link Exchange.Transport} of a run with an {@link InMemoryHttp}: renders the request as the
 * HTTP client would send it, asks the responder, and reads its response into an {@link Outcome}
 * with the client's rules ({@link Exchange#outcome}: redirects, error statuses, kept headers, the
 * size limit).
 */
final class InMemoryTransport implements Exchange.Transport {

    /** The key of the run's responder in {@link RunContext#shared}. */
    static final String KEY = "fetch.in-memory-http";

    private final InMemoryHttp http;
    private final FetchOptions options;
    private final Tally tally;

    private InMemoryTransport(InMemoryHttp http, FetchOptions options, Tally tally) {
        this.http = http;
        this.options = options;
        this.tally = tally;
    }

    /**
     * The transport of one stage in {@code run}, or null when the run uses the network.
     *
     * @param streaming whether the stage parses its responses while they stream, which needs the network
     * @throws IllegalStateException when the stage streams and the run answers in memory
     */
    static InMemoryTransport forRun(RunContext run, FetchOptions options, boolean streaming) {
        return run.<InMemoryHttp>sharedIfPresent(KEY).map(http -> {
            if (streaming) {
                throw new IllegalStateException("a fetch whose response is parsed while it streams (fetch followed by"
                        + " parse with split, or Fetch.decodeWith) reads the network and cannot run on in-memory HTTP"
                        + " (PipelineTester.inMemory, virtual time); test it against the StubServer in real time, or"
                        + " make parse a separate step (put a transform between fetch and parse)");
            }
            return new InMemoryTransport(http, options, run.tally());
        }).orElse(null);
    }

    @Override
    public Mono<Outcome> exchange(Request request) {
        return Mono.deferContextual(context -> {
            context.<Timing>getOrEmpty(Timing.class).ifPresent(Timing::requestSent);
            return http.respond(rendered(request));
        }).map(response -> outcome(request, response));
    }

    private InMemoryHttp.Request rendered(Request request) {
        HttpHeaders netty = new DefaultHttpHeaders();
        Exchange.headers(netty, request, options);
        Map<String, String> headers = new HashMap<>();
        netty.forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        headers.put("host", request.uri().getRawAuthority());
        return new InMemoryHttp.Request(request.method().name(), request.uri(), headers,
                request.body() == null ? "" : request.body());
    }

    /** Reads the response with the HTTP client's rules ({@link Exchange#outcome}), counting its bytes. */
    private Outcome outcome(Request request, InMemoryHttp.Response response) {
        tally.bytesIn(response.body().length);
        HttpHeaders headers = new DefaultHttpHeaders();
        response.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
        return Exchange.outcome(options, request, HttpResponseStatus.valueOf(response.status()), headers, response.body());
    }

    /** A connection closed early; classified as the HTTP client's premature close is. */
    static final class Closed extends ClosedChannelException {
        private static final long serialVersionUID = 1L;
        private final String message;

        Closed(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
