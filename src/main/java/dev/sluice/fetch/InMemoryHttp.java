package dev.sluice.fetch;

import dev.sluice.RunContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Answers the HTTP requests of a run in memory instead of over the network: the seam that lets a
 * whole pipeline run under {@code StepVerifier.withVirtualTime}, since virtual time cannot advance a
 * real socket. The testkit's {@code PipelineTester.inMemory()} installs one that answers from
 * {@code StubServer} routes; most users never implement this interface themselves.
 *
 * <pre>{@code
 * RunContext run = InMemoryHttp.install(new RunContext(),
 *         request -> Mono.just(InMemoryHttp.Response.of(200, List.of(), "{}".getBytes(UTF_8))));
 * pipeline.results(run)...
 * }</pre>
 *
 * <p>Everything around the network still runs as usual in every {@link Fetch} stage of the run:
 * rate limits and {@code Retry-After} pauses, retries and their backoff, redirects, the per-attempt
 * deadline ({@link Fetch#timeout}), the body size limit, host allow and deny lists, and the mapping of
 * problems to {@link dev.sluice.Reason}s. Not modelled: connection pools, connect and read timeouts,
 * DNS and the private-address guard, proxies, TLS and content decoding (a responder returns the body
 * as the client would read it, decoded). Time spent answering is whatever the returned publisher
 * takes: {@code Mono.delay(d)} delays a reply on Reactor's {@code parallel} scheduler, so virtual
 * time controls it, and {@code Mono.never()} stalls until the deadline.
 *
 * <p>A fetch stage whose response is parsed while it streams (a pipeline file's {@code fetch}
 * followed by {@code parse} with {@code split}, or {@link Fetch#decodeWith}) reads the network
 * directly: in a run with an {@code InMemoryHttp} it errors at subscription with an
 * {@link IllegalStateException} saying so.
 */
@FunctionalInterface
public interface InMemoryHttp {

    /**
     * Answers one request (redirects are separate requests). Called at most once per attempt,
     * when the attempt's rate-limit wait is over; the publisher is cancelled when the attempt's
     * deadline passes.
     *
     * @param request the request as the fetch stage would send it
     * @return the response; or an error from {@link #refused(String)}, {@link #closedBeforeResponse()} or
     *     {@link #closedDuringResponse()} (any other error is reported as a reset connection)
     */
    Mono<Response> respond(Request request);

    /**
     * Makes every fetch stage of {@code run} send its requests to {@code http}. Call it before the
     * run starts (before subscribing to {@code pipeline.results(run)}); a run has at most one.
     *
     * @param run the run
     * @param http the responder
     * @return {@code run}
     * @throws IllegalStateException when the run already has another responder
     */
    static RunContext install(RunContext run, InMemoryHttp http) {
        Objects.requireNonNull(http, "http");
        InMemoryHttp installed = run.shared(InMemoryTransport.KEY, () -> http, h -> Mono.empty());
        if (installed != http) {
            throw new IllegalStateException("the run already answers its requests in memory with " + installed);
        }
        return run;
    }

    /**
     * Fails the request as a refused connection ({@code Reason.CONNECT}, "connection refused").
     *
     * @param detail why, for the failure's message, e.g. {@code "no stub for host api.example.com"}
     * @return a publisher that errors
     */
    static Mono<Response> refused(String detail) {
        return Mono.error(new java.net.ConnectException("Connection refused in memory: " + detail));
    }

    /**
     * Fails the request as a connection closed before any response ({@code Reason.RESET},
     * "connection closed early").
     *
     * @return a publisher that errors
     */
    static Mono<Response> closedBeforeResponse() {
        return Mono.error(new InMemoryTransport.Closed("Connection closed BEFORE response (in memory)"));
    }

    /**
     * Fails the request as a connection closed while the body was being read ({@code Reason.RESET},
     * "connection closed early").
     *
     * @return a publisher that errors
     */
    static Mono<Response> closedDuringResponse() {
        return Mono.error(new InMemoryTransport.Closed("Connection closed DURING response (in memory)"));
    }

    /**
     * One request as a fetch stage sends it.
     *
     * @param method the method, e.g. {@code GET}
     * @param url the URL of the pipeline (before any {@link RunContext#rewriteUrls rewrite})
     * @param headers the request headers, lower-case names, including {@code host}
     * @param body the request body, empty when there is none
     */
    record Request(String method, URI url, Map<String, String> headers, String body) {

        /** Validates the fields and copies the headers. */
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }
    }

    /**
     * One response, read in full.
     *
     * @param status the status, 100 to 599
     * @param headers the response headers in order; a name may repeat
     * @param body the body as the client reads it (after content decoding)
     */
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {

        /** Validates the fields and copies the headers and the body. */
        public Response {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
            }
            headers = List.copyOf(headers);
            body = body.clone();
        }

        /**
         * Creates a response.
         *
         * @param status the status, 100 to 599
         * @param headers the headers in order
         * @param body the body
         * @return a new {@code Response}
         */
        public static Response of(int status, List<Map.Entry<String, String>> headers, byte[] body) {
            return new Response(status, headers, body);
        }

        /**
         * Returns a copy of the body.
         *
         * @return the body bytes
         */
        @Override
        public byte[] body() {
            return body.clone();
        }
    }
}
