package dev.sluice;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Carries what is known about an item besides its value: where it came from and how it was fetched.
 *
 * @param origin the input this item descends from
 * @param url the last URL fetched for this item, or the empty string when it was not fetched
 * @param status the HTTP status of the last response, or 0 when none
 * @param headers selected response headers (lower-case names), empty when none
 * @param attempts HTTP attempts made by the last fetch, 0 when none
 * @param elapsed time spent on the last fetch, {@link Duration#ZERO} when none
 */
public record Metadata(
        Origin origin, String url, int status, Map<String, String> headers, int attempts, Duration elapsed) {

    /** Validates the fields and copies the headers. */
    public Metadata {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(elapsed, "elapsed");
        headers = Map.copyOf(headers);
    }

    /**
     * Creates metadata for a fresh input that has not been fetched yet.
     *
     * @param origin where the input came from
     * @return a new {@code Metadata}
     */
    public static Metadata of(Origin origin) {
        return new Metadata(origin, "", 0, Map.of(), 0, Duration.ZERO);
    }

    /**
     * Records a completed fetch.
     *
     * @param url the URL fetched
     * @param status the response status
     * @param headers selected response headers
     * @param attempts attempts made
     * @param elapsed time spent
     * @return a new {@code Metadata} with the same origin
     */
    public Metadata withFetch(String url, int status, Map<String, String> headers, int attempts, Duration elapsed) {
        return new Metadata(origin, url, status, headers, attempts, elapsed);
    }
}
