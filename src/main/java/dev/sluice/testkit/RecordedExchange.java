package dev.sluice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One recorded HTTP exchange and its file format, readable in an editor:
 *
 * <pre>
 * GET https://api.example.com/items/1.json?token=&lt;redacted&gt;
 * accept: application/json
 * authorization: &lt;redacted&gt;
 *
 * HTTP 200
 * content-type: application/json
 *
 * {"id":1}
 * </pre>
 *
 * The request line, the selected request headers, a blank line, the status and response headers, a
 * blank line, then the body bytes as received (decompressed). Secrets are redacted: credentials and
 * cookie headers, and query parameters whose names suggest a secret.
 */
record RecordedExchange(String method, String url, List<Map.Entry<String, String>> requestHeaders, int status,
        List<Map.Entry<String, String>> responseHeaders, byte[] body) {

    static final String REDACTED = "<redacted>";
    private static final Set<String> SECRET_HEADERS = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token");
    private static final Set<String> DROPPED_REQUEST = Set.of(
            "host", "content-length", "connection", "accept-encoding", "transfer-encoding", "user-agent");
    private static final Set<String> DROPPED_RESPONSE = Set.of(
            "content-length", "connection", "content-encoding", "transfer-encoding", "keep-alive");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "([?&])([^=&]*(?:token|key|secret|password|passwd|signature|sig|auth)[^=&]*)=([^&]*)", Pattern.CASE_INSENSITIVE);
    private static final byte[] SEPARATOR = "\n\n".getBytes(StandardCharsets.US_ASCII);

    RecordedExchange {
        requestHeaders = List.copyOf(requestHeaders);
        responseHeaders = List.copyOf(responseHeaders);
    }

    /** The method and redacted URL, which replay matches requests on. */
    String key() {
        return method + " " + url;
    }

    static String redactUrl(URI url) {
        Matcher m = SECRET_PARAM.matcher(url.toString());
        return m.replaceAll(r -> r.group(1) + Matcher.quoteReplacement(r.group(2)) + "=" + Matcher.quoteReplacement(REDACTED));
    }

    static List<Map.Entry<String, String>> requestHeaders(Iterable<Map.Entry<String, String>> headers) {
        return select(headers, DROPPED_REQUEST);
    }

    static List<Map.Entry<String, String>> responseHeaders(Iterable<Map.Entry<String, String>> headers) {
        return select(headers, DROPPED_RESPONSE);
    }

    private static List<Map.Entry<String, String>> select(Iterable<Map.Entry<String, String>> headers, Set<String> dropped) {
        List<Map.Entry<String, String>> kept = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!dropped.contains(name)) {
                kept.add(Map.entry(name, SECRET_HEADERS.contains(name) ? REDACTED : h.getValue()));
            }
        }
        return kept;
    }

    void write(Path file) {
        StringBuilder head = new StringBuilder(method).append(' ').append(url).append('\n');
        requestHeaders.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
        head.append("\nHTTP ").append(status).append('\n');
        responseHeaders.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
        head.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        try {
            Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write recording " + file, e);
        }
    }

    static RecordedExchange read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + file, e);
        }
        int first = indexOf(bytes, 0);
        int second = first < 0 ? -1 : indexOf(bytes, first + 2);
        if (second < 0) {
            throw new IllegalArgumentException(file + ": not a recording (expected request, blank line, response, blank line, body)");
        }
        String[] request = new String(bytes, 0, first, StandardCharsets.UTF_8).split("\n");
        String[] response = new String(bytes, first + 2, second - first - 2, StandardCharsets.UTF_8).split("\n");
        String[] line = request[0].split(" ", 2);
        if (line.length != 2 || !response[0].startsWith("HTTP ")) {
            throw new IllegalArgumentException(file + ": expected 'METHOD URL' then 'HTTP status'");
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, second + 2, bytes.length);
        return new RecordedExchange(line[0], line[1], headers(request), Integer.parseInt(response[0].substring(5).trim()),
                headers(response), body);
    }

    private static List<Map.Entry<String, String>> headers(String[] lines) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        return headers;
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + SEPARATOR.length <= bytes.length; i++) {
            if (bytes[i] == SEPARATOR[0] && bytes[i + 1] == SEPARATOR[1]) {
                return i;
            }
        }
        return -1;
    }
}
