package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code stubs:} map of a test case: each key is a path ({@code /items/1.json}, any host), a
 * URL ({@code https://api.example.com/v1/items}) or {@code host/path}; each value a status, a reply map,
 * or a list of them for a sequence whose last reply repeats.
 */
final class StubReader {

    static final List<String> FIELDS = List.of("status", "headers", "body", "json", "file", "gzip", "delay", "trickle", "fault");
    private static final List<String> FAULTS = List.of("reset", "stall", "reset_mid_body");

    private final YamlFields fields;
    private final Path baseDir;

    StubReader(YamlFields fields, Path baseDir) {
        this.fields = fields;
        this.baseDir = baseDir;
    }

    List<DeclaredRoute> read(JsonNode stubs, String pointer) {
        List<DeclaredRoute> routes = new ArrayList<>();
        if (stubs == null) {
            return routes;
        }
        if (!stubs.isObject()) {
            fields.problem(pointer, "stubs must be a map from URL path to reply, e.g. '/items/1.json: {file: items/1.json}'");
            return routes;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = stubs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = YamlFields.child(pointer, entry.getKey());
            DeclaredRoute route = route(entry.getKey(), entry.getValue(), at);
            if (route != null) {
                routes.add(route);
            }
        }
        return routes;
    }

    private DeclaredRoute route(String key, JsonNode value, String pointer) {
        String host;
        String path;
        if (key.startsWith("/")) {
            host = "";
            path = key;
        } else if (key.startsWith("http://") || key.startsWith("https://")) {
            URI uri = URI.create(key);
            host = uri.getHost() == null ? "" : uri.getHost();
            path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } else if (key.indexOf('/') > 0) {
            host = key.substring(0, key.indexOf('/'));
            path = key.substring(key.indexOf('/'));
        } else {
            fields.problem(pointer, "stub key must be a path starting with '/', a URL or host/path, was '" + key + "'");
            return null;
        }
        List<Reply> replies = new ArrayList<>();
        if (value.isArray()) {
            if (value.isEmpty()) {
                fields.problem(pointer, "a reply sequence needs at least one reply");
            }
            for (int i = 0; i < value.size(); i++) {
                replies.add(reply(value.get(i), pointer + "/" + i));
            }
        } else {
            replies.add(reply(value, pointer));
        }
        return replies.isEmpty() ? null : new DeclaredRoute(host, path, replies);
    }

    private Reply reply(JsonNode node, String pointer) {
        if (node.isIntegralNumber()) {
            return status(node.intValue(), pointer);
        }
        if (!fields.onlyKnown(node, pointer, "a stub reply", FIELDS)) {
            return Reply.status(500);
        }
        Reply reply = body(node, pointer);
        if (node.has("status")) {
            reply = reply.withStatus(status(node.get("status").asInt(), pointer + "/status").status());
        }
        JsonNode headers = node.get("headers");
        if (headers != null && headers.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                reply = reply.header(h.getKey(), h.getValue().asText());
            }
        } else if (headers != null) {
            fields.problem(pointer + "/headers", "headers must be a map of name: value");
        }
        return modifiers(node, pointer, reply);
    }

    private Reply modifiers(JsonNode node, String pointer, Reply reply) {
        Reply result = reply;
        if (node.path("gzip").asBoolean(false)) {
            result = result.gzip();
        }
        if (node.has("delay")) {
            result = result.delayed(fields.duration(node.get("delay"), pointer + "/delay", "delay"));
        }
        if (node.has("trickle")) {
            result = result.trickled(fields.duration(node.get("trickle"), pointer + "/trickle", "trickle"));
        }
        if (node.has("fault")) {
            String fault = fields.text(node.get("fault"), pointer + "/fault", "fault");
            if (fault != null && !FAULTS.contains(fault)) {
                fields.problem(pointer + "/fault", "unknown fault '" + fault + "'; known: " + String.join(", ", FAULTS));
            } else if (fault != null) {
                result = switch (fault) {
                    case "reset" -> Reply.reset().delayed(result.delay());
                    case "stall" -> Reply.stall();
                    default -> result.resetAfter(result.body().length / 2);
                };
            }
        }
        return result;
    }

    private Reply body(JsonNode node, String pointer) {
        int given = (node.has("body") ? 1 : 0) + (node.has("json") ? 1 : 0) + (node.has("file") ? 1 : 0);
        if (given > 1) {
            fields.problem(pointer, "give one of body, json and file, not " + given);
        }
        if (node.has("file")) {
            String file = fields.text(node.get("file"), pointer + "/file", "file");
            try {
                return file == null ? Reply.status(200) : Reply.file(baseDir.resolve(file));
            } catch (UncheckedIOException e) {
                fields.problem(pointer + "/file", "cannot read " + baseDir.resolve(file) + " (paths are relative to the test file)");
                return Reply.status(200);
            }
        }
        if (node.has("json")) {
            return Reply.json(node.get("json").toString());
        }
        if (node.has("body")) {
            String body = fields.text(node.get("body"), pointer + "/body", "body");
            return Reply.text(body == null ? "" : body);
        }
        return Reply.status(200);
    }

    private Reply status(int status, String pointer) {
        if (status < 100 || status > 599) {
            fields.problem(pointer, "status must be between 100 and 599, was " + status);
            return Reply.status(500);
        }
        return Reply.status(status);
    }
}
