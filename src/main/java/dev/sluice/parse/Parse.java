package dev.sluice.parse;

import dev.sluice.Stage;

/**
 * Creates the parse stages, which turn a fetched body (an item whose value is the body text) into
 * JSON items.
 *
 * <p>Every parse stage passes failed items through untouched and turns a body it cannot read into a
 * failed item with {@link dev.sluice.Reason#PARSE}; a body that is not text (say, an item that was
 * already parsed) fails with {@code "parse json expects a text body, got object"}. Messages name the
 * item's URL, or its origin when it was not fetched, with the line and column:
 * {@code "invalid JSON in https://host/a.json at line 3, column 3: Unexpected character ..."}.
 *
 * <p>Parsing is CPU work done on whatever thread delivers the item (often a Netty event loop right
 * after the fetch); the stages never hop to another scheduler. Items keep their metadata. Limits:
 * nesting depth 1000, strings up to 20,000,000 characters, documents up to 100 MiB; beyond them the
 * item fails.
 */
public final class Parse {

    private static final Stage JSON = new JsonDocumentParser();
    private static final Stage NDJSON = new NdjsonParser();

    private Parse() {}

    /**
     * Returns a stage that parses each body as exactly one JSON value (object, array or scalar), so
     * one item comes out per item in. Content after the value, such as {@code {"a":1} xyz}, is an
     * error, and so is an empty body.
     *
     * @return the shared, stateless stage
     */
    public static Stage json() {
        return JSON;
    }

    /**
     * Returns a stage that parses each body as newline-delimited JSON: one item per non-blank line.
     * Lines end at {@code \n}, with an optional {@code \r} before it; line numbers in messages count
     * every line of the body, blank ones included. A bad line becomes one failed item whose value is
     * that line's text, while the other lines still flow. A body with {@code n} lines adds
     * {@code n - 1} to the run's {@code expanded} count; a body without any is counted as filtered.
     * One body's items are held in memory at a time.
     *
     * @return the shared, stateless stage
     */
    public static Stage ndjson() {
        return NDJSON;
    }
}
