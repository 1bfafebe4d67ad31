package dev.sluice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Describes why one item could not go on: the stage that gave up, the {@link Reason}, a message that
 * says what failed and where, and the item as it was at that moment.
 *
 * <p>A failure is data, not a stream error: it rides along the pipeline untouched by later stages and
 * ends as exactly one line in the dead-letter sink (see {@link #toJson()}).
 *
 * @param stage the step that failed, e.g. {@code "fetch"} or {@code "parse"}
 * @param reason why it failed
 * @param message a human-readable explanation naming the URL or location
 * @param status the HTTP status when there was a response, otherwise 0
 * @param attempts the number of HTTP attempts made, 0 when no request was sent
 * @param url the URL involved, or the empty string when none
 * @param origin the input this item descends from
 * @param value the item's value when it failed
 */
public record Failure(
        String stage,
        Reason reason,
        String message,
        int status,
        int attempts,
        String url,
        Origin origin,
        JsonNode value) {

    private static final java.util.regex.Pattern USER_INFO =
            java.util.regex.Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)(?:[^/?#@'\"\\r\\n]*@)+");

    /** A query parameter whose name looks like it holds a secret: {@code api_key}, {@code access_token}, {@code sig}... */
    private static final java.util.regex.Pattern SECRET_PARAM = java.util.regex.Pattern.compile(
            "([?&])([^=&#\\s'\"]*(?:token|key|secret|password|passwd|signature|sig|auth)[^=&#\\s'\"]*)=([^&#\\s'\"]*)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Validates the fields. */
    public Failure {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Renders the failure as one dead-letter record, in the field order of the design:
     * {@code origin, url, stage, reason, status, attempts, error, value}. Fields without a value
     * (no URL, no status) are left out.
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        return toJson(List.of());
    }

    /**
     * Renders the failure of an item that stands for several inputs (a batch) as one dead-letter
     * record that names them all: {@link #toJson()} with a {@code members} array after {@code origin},
     * one {@code {source, line}} per member, in order; {@code origin} is the first member's. With
     * fewer than two members it is {@link #toJson()}.
     *
     * @param members the inputs the failed item stands for ({@link Metadata#origins()})
     * @return a new JSON object
     */
    public ObjectNode toJson(List<Origin> members) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        put(node.putObject("origin"), origin);
        if (members.size() > 1) {
            ArrayNode list = node.putArray("members");
            for (Origin member : members) {
                put(list.addObject(), member);
            }
        }
        if (!url.isEmpty()) {
            node.put("url", redactCredentials(url));
        }
        node.put("stage", stage);
        node.put("reason", reason.code());
        if (status > 0) {
            node.put("status", status);
        }
        node.put("attempts", attempts);
        node.put("error", redactCredentials(message));
        node.set("value", value.isTextual()
                ? com.fasterxml.jackson.databind.node.TextNode.valueOf(redactCredentials(value.textValue()))
                : value);
        return node;
    }

    private static void put(ObjectNode node, Origin origin) {
        node.put("source", origin.source());
        node.put("line", origin.line());
    }

    /**
     * Masks the user-info of URLs in a text ({@code https://user:pw@host/} becomes
     * {@code https://***@host/}), so credentials given in URLs never reach dead letters or logs. The
     * user-info runs to the authority's last {@code @}, and may hold spaces and {@code @}s: such a URL
     * is invalid, but its text still names the secret.
     *
     * @param text any text
     * @return the text with URL user-info masked
     */
    public static String redactUserInfo(String text) {
        return USER_INFO.matcher(text).replaceAll("$1***@");
    }

    /**
     * Masks what a dead letter or a log must not show of the URLs in a text: their user-info, as
     * {@link #redactUserInfo}, and the values of query parameters whose names look like secrets
     * ({@code ?api_key=abc} becomes {@code ?api_key=***}; names holding token, key, secret, password,
     * passwd, signature, sig or auth).
     *
     * @param text any text
     * @return the text with URL credentials masked
     */
    public static String redactCredentials(String text) {
        return SECRET_PARAM.matcher(redactUserInfo(text)).replaceAll("$1$2=***");
    }
}
