package dev.sluice.fetch;

import dev.sluice.Stage;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The spec of the {@code fetch} step: its fields, declared once, and its factory. */
public final class FetchSpecs {

    static final Field<Integer> CONCURRENCY = Field.integer("concurrency")
            .defaultsTo(FetchOptions.DEFAULTS.concurrency())
            .check(n -> n >= 1, "be >= 1")
            .describe("Maximum requests in flight for this step.");
    static final Field<Duration> TIMEOUT = Field.duration("timeout")
            .defaultsTo(FetchOptions.DEFAULTS.timeout())
            .check(d -> !d.isZero() && !d.isNegative(), "be > 0")
            .describe("Deadline for one request: connect, headers and the whole body.");
    static final Field<Duration> CONNECT_TIMEOUT = Field.duration("connect_timeout")
            .defaultsTo(FetchOptions.DEFAULTS.connectTimeout())
            .check(d -> !d.isZero() && !d.isNegative(), "be > 0")
            .advanced()
            .describe("Deadline for opening a connection.");
    static final Field<Map<String, String>> HEADERS = Field.stringMap("headers")
            .defaultsTo(Map.of())
            .describe("Request headers sent with every request.");

    static final ComponentSpec<Stage> SPEC = ComponentSpec.<Stage>step("fetch")
            .summary("Fetches each item's URL (the item itself when it is a string, else its url field) with one shared Reactor Netty client per run.")
            .fields(CONCURRENCY, TIMEOUT, CONNECT_TIMEOUT, HEADERS)
            .example("Defaults", "fetch: {}")
            .example("Polite crawl", "fetch: { concurrency: 2, timeout: 5s, headers: { user-agent: sluice-example } }")
            .factory(c -> Fetch.get(new FetchOptions(
                    c.get(CONCURRENCY), c.get(TIMEOUT), c.get(CONNECT_TIMEOUT), c.get(HEADERS))));

    private FetchSpecs() {}

    /**
     * Returns the specs of the fetch package.
     *
     * @return the fetch step
     */
    public static List<ComponentSpec<Stage>> all() {
        return List.of(SPEC);
    }
}
