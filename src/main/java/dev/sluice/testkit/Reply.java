package dev.sluice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Describes one answer of a {@link StubServer}: a status, headers and a body, optionally delayed,
 * trickled, gzip-encoded, or a fault (reset before the response, reset mid-body, stall, huge body).
 *
 * <p>Replies are immutable; every modifier returns a new reply. Bodies are held in memory, except
 * {@link #huge(long)} bodies, which are generated as they are sent (with backpressure).
 *
 * <pre>{@code
 * stub.on("/flaky").respond(Reply.status(503).retryAfter(Duration.ofSeconds(2)), Reply.json("{\"ok\":true}"));
 * }</pre>
 */
public final class Reply {

    /** What goes wrong, if anything. */
    enum Fault { NONE, RESET, STALL, RESET_AFTER }

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final long hugeBytes;
    private final Duration delay;
    private final Duration trickle;
    private final Fault fault;
    private final int resetAfter;

    private Reply(int status, List<Map.Entry<String, String>> headers, byte[] body, long hugeBytes,
            Duration delay, Duration trickle, Fault fault, int resetAfter) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.hugeBytes = hugeBytes;
        this.delay = delay;
        this.trickle = trickle;
        this.fault = fault;
        this.resetAfter = resetAfter;
    }

    private static Reply of(int status, byte[] body) {
        return new Reply(status, List.of(), body, -1, Duration.ZERO, null, Fault.NONE, 0);
    }

    /**
     * Answers with {@code status} and an empty body.
     *
     * @param status the HTTP status, 100 to 599
     * @return a new {@code Reply}
     */
    public static Reply status(int status) {
        return of(status, EMPTY);
    }

    /**
     * Answers 200 with a JSON body and {@code content-type: application/json}.
     *
     * @param json the body
     * @return a new {@code Reply}
     */
    public static Reply json(String json) {
        return json(200, json);
    }

    /**
     * Answers {@code status} with a JSON body and {@code content-type: application/json}.
     *
     * @param status the HTTP status
     * @param json the body
     * @return a new {@code Reply}
     */
    public static Reply json(int status, String json) {
        return of(status, json.getBytes(StandardCharsets.UTF_8)).header("content-type", "application/json");
    }

    /**
     * Answers 200 with a UTF-8 text body and {@code content-type: text/plain; charset=utf-8}.
     *
     * @param text the body
     * @return a new {@code Reply}
     */
    public static Reply text(String text) {
        return of(200, text.getBytes(StandardCharsets.UTF_8)).header("content-type", "text/plain; charset=utf-8");
    }

    /**
     * Answers 200 with the bytes of {@code file}, read now (on the caller's thread), and a content
     * type guessed from its extension ({@code .json}, {@code .ndjson}, {@code .csv}, else
     * {@code application/octet-stream}).
     *
     * @param file the file to serve
     * @return a new {@code Reply}
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Reply file(Path file) {
        try {
            return of(200, Files.readAllBytes(file)).header("content-type", contentType(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stub body " + file, e);
        }
    }

    /**
     * Closes the connection as soon as the request has been read, without answering.
     *
     * @return a new {@code Reply}
     */
    public static Reply reset() {
        return status(200).fault(Fault.RESET, 0);
    }

    /**
     * Reads the request and never answers; the client's timeout decides what happens.
     *
     * @return a new {@code Reply}
     */
    public static Reply stall() {
        return status(200).fault(Fault.STALL, 0);
    }

    /**
     * Sends 200 with {@code content-length: 1000} and the first 10 bytes of the body, then closes
     * the connection. See {@link #resetAfter(int)} to cut any reply.
     *
     * @return a new {@code Reply}
     */
    public static Reply resetMidBody() {
        return of(200, "x".repeat(1000).getBytes(StandardCharsets.US_ASCII)).resetAfter(10);
    }

    /**
     * Answers 200 with a chunked body (no {@code content-length}) of {@code bytes} bytes of
     * {@code x}, generated as the client reads it, so a client learns its size only by reading.
     *
     * @param bytes the body size, at least 0
     * @return a new {@code Reply}
     */
    public static Reply huge(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        return new Reply(200, List.of(), EMPTY, bytes, Duration.ZERO, null, Fault.NONE, 0);
    }

    /**
     * Replaces the status.
     *
     * @param newStatus the HTTP status
     * @return a new {@code Reply}
     */
    public Reply withStatus(int newStatus) {
        return new Reply(newStatus, headers, body, hugeBytes, delay, trickle, fault, resetAfter);
    }

    /**
     * Adds a response header; a name may repeat (several {@code Link} headers, for instance).
     *
     * @param name the header name
     * @param value the value
     * @return a new {@code Reply}
     */
    public Reply header(String name, String value) {
        List<Map.Entry<String, String>> next = new ArrayList<>(headers);
        next.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
        return new Reply(status, next, body, hugeBytes, delay, trickle, fault, resetAfter);
    }

    /**
     * Adds {@code Retry-After} in whole seconds.
     *
     * @param after the delay the server asks for
     * @return a new {@code Reply}
     */
    public Reply retryAfter(Duration after) {
        return header("retry-after", Long.toString(after.toSeconds()));
    }

    /**
     * Adds a {@code Link} header such as {@code <https://api.example.com/items?page=2>; rel="next"}.
     *
     * @param url the target URL
     * @param rel the relation, e.g. {@code next}
     * @return a new {@code Reply}
     */
    public Reply link(String url, String rel) {
        return header("link", "<" + url + ">; rel=\"" + rel + "\"");
    }

    /**
     * Replaces the body with UTF-8 text, keeping the headers.
     *
     * @param text the body
     * @return a new {@code Reply}
     */
    public Reply body(String text) {
        return new Reply(status, headers, text.getBytes(StandardCharsets.UTF_8), -1, delay, trickle, fault, resetAfter);
    }

    /**
     * Compresses the body now and adds {@code content-encoding: gzip}.
     *
     * @return a new {@code Reply}
     */
    public Reply gzip() {
        return new Reply(status, headers, gzip(body), -1, delay, trickle, fault, resetAfter)
                .header("content-encoding", "gzip");
    }

    /**
     * Waits {@code wait} (real time, on the server) before sending the status line.
     *
     * @param wait the delay
     * @return a new {@code Reply}
     */
    public Reply delayed(Duration wait) {
        return new Reply(status, headers, body, hugeBytes, Objects.requireNonNull(wait, "wait"), trickle, fault, resetAfter);
    }

    /**
     * Sends the body one byte at a time, {@code every} apart (real time, on the server).
     *
     * @param every the pause before each byte
     * @return a new {@code Reply}
     */
    public Reply trickled(Duration every) {
        return new Reply(status, headers, body, hugeBytes, delay, Objects.requireNonNull(every, "every"), fault, resetAfter);
    }

    /**
     * Announces the whole body's {@code content-length}, sends its first {@code bytes} bytes, then
     * closes the connection: a reset in the middle of the body.
     *
     * @param bytes how many body bytes to send before the reset, at least 0
     * @return a new {@code Reply}
     */
    public Reply resetAfter(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        return fault(Fault.RESET_AFTER, bytes);
    }

    int status() {
        return status;
    }

    List<Map.Entry<String, String>> headers() {
        return headers;
    }

    byte[] body() {
        return body;
    }

    long hugeBytes() {
        return hugeBytes;
    }

    Duration delay() {
        return delay;
    }

    Duration trickle() {
        return trickle;
    }

    Fault fault() {
        return fault;
    }

    int resetAfterBytes() {
        return resetAfter;
    }

    private Reply fault(Fault newFault, int after) {
        return new Reply(status, headers, body, hugeBytes, delay, trickle, newFault, after);
    }

    @Override
    public String toString() {
        String what = switch (fault) {
            case RESET -> "reset";
            case STALL -> "stall";
            case RESET_AFTER -> status + " reset after " + resetAfter + " bytes";
            case NONE -> hugeBytes >= 0 ? status + " huge " + hugeBytes + " bytes" : status + " " + body.length + " bytes";
        };
        return "Reply[" + what + "]";
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return "application/x-ndjson";
        }
        if (name.endsWith(".csv")) {
            return "text/csv";
        }
        return "application/octet-stream";
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
