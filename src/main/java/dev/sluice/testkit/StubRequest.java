package dev.sluice.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link StubServer} saw of one request.
 *
 * @param index the arrival order, from 0, since the server started or was last reset
 * @param method the HTTP method, e.g. {@code GET}
 * @param host the {@code Host} header (the original host when a pipeline's URLs were rewritten)
 * @param path the path with its query, e.g. {@code /items?page=2}
 * @param headers the request headers, lower-case names, first value of each
 * @param body the request body as UTF-8 text, empty when none
 * @param arrival when it arrived: over a socket, real time counted from the server start or last reset;
 *     in memory ({@link PipelineTester#inMemory()}), the run's Reactor time (virtual under
 *     {@code StepVerifier.withVirtualTime}) counted from the run's start
 * @param inFlight how many requests were being answered when it arrived, itself included
 */
public record StubRequest(
        int index, String method, String host, String path, Map<String, String> headers, String body,
        Duration arrival, int inFlight) {

    /** Validates the fields and copies the headers. */
    public StubRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(arrival, "arrival");
        headers = Map.copyOf(headers);
    }

    /**
     * Returns a header's value.
     *
     * @param name the header name, any case
     * @return the value, or the empty string when absent
     */
    public String header(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
    }

    @Override
    public String toString() {
        return method + " " + path + (host.isEmpty() ? "" : " (host " + host + ")");
    }
}
