/**
 * Turns fetched bodies into items: {@link dev.sluice.parse.Parse#json()} reads a whole body as one
 * JSON value, {@link dev.sluice.parse.Parse#ndjson()} reads one JSON value per line and
 * {@link dev.sluice.parse.Parse#split(String)} streams the elements of an array at a JSON Pointer with
 * Jackson's non-blocking parser, one element in memory at a time; {@link dev.sluice.parse.Parse#csv()}
 * reads one item per CSV row. Malformed
 * input becomes a failed item with reason {@code parse} and a message naming the URL (or origin),
 * line and column; it never ends the stream.
 */
package dev.sluice.parse;
