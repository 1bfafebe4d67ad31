package dev.sluice.fetch;

import dev.sluice.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How one attempt (a request and the redirects it led to) ended. Attempts never end in a stream error. */
sealed interface Outcome {

    /**
     * A response below 400 (or a 3xx that was not followed), read in full.
     *
     * @param status the status code
     * @param headers the kept response headers
     * @param bytes the body as received (after decompression); not to be changed
     * @param url the final URL, after redirects
     */
    record Success(int status, Map<String, String> headers, byte[] bytes, String url) implements Outcome {

        /** A success whose body is {@code body}, encoded as UTF-8. */
        Success(int status, Map<String, String> headers, String body, String url) {
            this(status, headers, body.getBytes(StandardCharsets.UTF_8), url);
        }

        /** Decodes the body as UTF-8 (malformed bytes become U+FFFD); a new string on each call. */
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * An attempt that gave no usable response.
     *
     * @param reason why
     * @param message what failed and where; never holds credentials
     * @param status the response status, or 0 when there was no response
     * @param url the URL that failed
     * @param retryable whether the cause may go away (transport errors, retry statuses)
     * @param retryAfter the {@code Retry-After} header of the response, or null
     */
    record Failed(Reason reason, String message, int status, String url, boolean retryable, String retryAfter)
            implements Outcome {}

    /**
     * A redirect to follow; never leaves {@link Exchange}, which turns it into the next hop.
     *
     * @param status the 3xx status
     * @param location the {@code Location} header, unresolved
     */
    record Redirect(int status, String location) implements Outcome {}
}
