package dev.sluice;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Carries what is known about an item besides its value: where it came from and how it was fetched.
 *
 * @param origin the input this item descends from (a batch's first member's input)
 * @param url the last URL fetched for this item, or the empty string when it was not fetched
 * @param status the HTTP status of the last response, or 0 when none
 * @param headers selected response headers (lower-case names), empty when none
 * @param attempts HTTP attempts made by the last fetch, 0 when none
 * @param elapsed time spent on the last fetch, {@link Duration#ZERO} when none
 * @param members for an item that a {@code batch} step made of several, the inputs of its members, one
 *     entry per member item (an input appears once per member descended from it); empty otherwise
 */
public record Metadata(
        Origin origin, String url, int status, Map<String, String> headers, int attempts, Duration elapsed,
        List<Origin> members) {

    /** Validates the fields and copies the headers and members. */
    public Metadata {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(elapsed, "elapsed");
        headers = Map.copyOf(headers);
        members = List.copyOf(members);
    }

    /**
     * Creates metadata of an item that is not a batch.
     *
     * @param origin the input this item descends from
     * @param url the last URL fetched, or the empty string
     * @param status the HTTP status of the last response, or 0
     * @param headers selected response headers
     * @param attempts HTTP attempts made by the last fetch, or 0
     * @param elapsed time spent on the last fetch
     */
    public Metadata(Origin origin, String url, int status, Map<String, String> headers, int attempts,
            Duration elapsed) {
        this(origin, url, status, headers, attempts, elapsed, List.of());
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
     * Creates the metadata of a batch: not fetched, named after its first member's input, and standing
     * for every member's inputs.
     *
     * @param members the inputs of the members, one entry per member item, at least one
     * @return a new {@code Metadata}
     * @throws IllegalArgumentException when {@code members} is empty
     */
    public static Metadata batchOf(List<Origin> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one member");
        }
        return new Metadata(members.get(0), "", 0, Map.of(), 0, Duration.ZERO, members);
    }

    /**
     * Returns the inputs this item stands for: its members' when it is a batch, its origin otherwise.
     * A run that follows its inputs ({@code --state}) ends each of them when the item ends.
     *
     * @return one entry per item it stands for
     */
    public List<Origin> origins() {
        return members.isEmpty() ? List.of(origin) : members;
    }

    /**
     * Records a completed fetch.
     *
     * @param url the URL fetched
     * @param status the response status
     * @param headers selected response headers
     * @param attempts attempts made
     * @param elapsed time spent
     * @return a new {@code Metadata} with the same origin and members
     */
    public Metadata withFetch(String url, int status, Map<String, String> headers, int attempts, Duration elapsed) {
        return new Metadata(origin, url, status, headers, attempts, elapsed, members);
    }
}
