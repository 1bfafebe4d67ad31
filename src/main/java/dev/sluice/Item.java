package dev.sluice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One record flowing through a pipeline: a Jackson {@link JsonNode} value plus immutable
 * {@link Metadata}, or, once a stage has given up on it, a {@link Failure}.
 *
 * <p>Failed items ride along the stream as data: every built-in stage passes them through untouched
 * and the pipeline routes them to its dead-letter sink. {@link dev.sluice.Pipeline#items()} only
 * emits items that did not fail.
 *
 * <p>Items are immutable; every {@code withX} returns a new item.
 */
public final class Item {

    private final JsonNode value;
    private final Metadata metadata;
    private final Failure failure;

    private Item(JsonNode value, Metadata metadata, Failure failure) {
        this.value = Objects.requireNonNull(value, "value");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.failure = failure;
    }

    /**
     * Creates an item for a fresh input.
     *
     * @param value the value
     * @param origin where the input came from
     * @return a new {@code Item}
     */
    public static Item of(JsonNode value, Origin origin) {
        return new Item(value, Metadata.of(origin), null);
    }

    /**
     * Creates an item whose value is a text (typically a URL) for a fresh input.
     *
     * @param text the text
     * @param origin where the input came from
     * @return a new {@code Item}
     */
    public static Item ofText(String text, Origin origin) {
        return of(TextNode.valueOf(text), origin);
    }

    /**
     * Creates an item with the given value and metadata.
     *
     * @param value the value
     * @param metadata the metadata
     * @return a new {@code Item}
     */
    public static Item of(JsonNode value, Metadata metadata) {
        return new Item(value, metadata, null);
    }

    /**
     * Returns the value.
     *
     * @return the value, never null (a JSON null is a {@code NullNode})
     */
    public JsonNode value() {
        return value;
    }

    /**
     * Returns the metadata.
     *
     * @return the metadata
     */
    public Metadata metadata() {
        return metadata;
    }

    /**
     * Returns the input this item descends from.
     *
     * @return the origin
     */
    public Origin origin() {
        return metadata.origin();
    }

    /**
     * Tells whether a stage gave up on this item.
     *
     * @return true when the item carries a {@link Failure}
     */
    public boolean isFailure() {
        return failure != null;
    }

    /**
     * Returns the failure, when the item failed.
     *
     * @return the failure, or empty for a good item
     */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Replaces the value, keeping the metadata.
     *
     * @param newValue the new value
     * @return a new {@code Item}
     */
    public Item withValue(JsonNode newValue) {
        return new Item(newValue, metadata, failure);
    }

    /**
     * Replaces the metadata, keeping the value.
     *
     * @param newMetadata the new metadata
     * @return a new {@code Item}
     */
    public Item withMetadata(Metadata newMetadata) {
        return new Item(value, newMetadata, failure);
    }

    /**
     * Turns this item into a failed one. The failure records the item's current value, origin and
     * last URL.
     *
     * @param stage the stage that gives up, e.g. {@code "fetch"}
     * @param reason why
     * @param message what failed and where
     * @param status the HTTP status, or 0
     * @param attempts HTTP attempts made, or 0
     * @param url the URL involved, or the empty string
     * @return a new, failed {@code Item}
     */
    public Item fail(String stage, Reason reason, String message, int status, int attempts, String url) {
        Failure f = new Failure(stage, reason, message, status, attempts, url, metadata.origin(), value);
        return new Item(value, metadata, f);
    }

    /**
     * Turns this item into a failed one in a stage that sends no request itself (parse, transform):
     * the failure keeps the status, attempts and URL of the item's last fetch, if any.
     *
     * @param stage the stage that gives up
     * @param reason why
     * @param message what failed and where
     * @return a new, failed {@code Item}
     */
    public Item fail(String stage, Reason reason, String message) {
        return fail(stage, reason, message, metadata.status(), metadata.attempts(), metadata.url());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Item other
                && value.equals(other.value)
                && metadata.equals(other.metadata)
                && Objects.equals(failure, other.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, metadata, failure);
    }

    @Override
    public String toString() {
        return failure == null
                ? "Item[" + metadata.origin() + " " + value + "]"
                : "Item[" + metadata.origin() + " failed " + failure.reason().code() + ": "
                        + Failure.redactCredentials(failure.message()) + "]";
    }
}
