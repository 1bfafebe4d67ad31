package dev.sluice.testkit;

import dev.sluice.fetch.InMemoryHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import reactor.core.publisher.Mono;

/**
 * Turns a {@link Reply} into an in-memory response, as the HTTP client would read it from a
 * {@link StubServer}: delays and trickles are {@code Mono.delay}s on Reactor's {@code parallel}
 * scheduler (virtual in {@code StepVerifier.withVirtualTime}), gzip bodies arrive decoded, a reset
 * before the response or mid-body closes the connection early, and a stall never answers.
 */
final class MemoryReplies {

    private MemoryReplies() {}

    /**
     * The response to {@code reply}; {@code answering} runs when the response starts (after any
     * delay), as on the socket.
     */
    static Mono<InMemoryHttp.Response> of(Reply reply, Runnable answering) {
        Mono<InMemoryHttp.Response> answer = Mono.fromRunnable(answering).then(Mono.defer(() -> switch (reply.fault()) {
            case RESET -> InMemoryHttp.closedBeforeResponse();
            case STALL -> Mono.never();
            case RESET_AFTER -> InMemoryHttp.closedDuringResponse();
            case NONE -> full(reply);
        }));
        return reply.delay().isZero() ? answer : Mono.delay(reply.delay()).then(answer);
    }

    private static Mono<InMemoryHttp.Response> full(Reply reply) {
        boolean gzip = reply.headers().stream()
                .anyMatch(h -> h.getKey().equalsIgnoreCase("content-encoding") && h.getValue().equalsIgnoreCase("gzip"));
        byte[] body = reply.hugeBytes() >= 0 ? huge(reply.hugeBytes()) : gzip ? gunzip(reply.body()) : reply.body();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        reply.headers().stream().filter(h -> !(gzip && h.getKey().equalsIgnoreCase("content-encoding")))
                .forEach(headers::add);
        if (reply.hugeBytes() < 0 && !gzip) {
            headers.add(Map.entry("content-length", Integer.toString(body.length)));
        }
        InMemoryHttp.Response response = InMemoryHttp.Response.of(reply.status(), headers, body);
        long sent = reply.hugeBytes() >= 0 ? reply.hugeBytes() : reply.body().length;
        return reply.trickle() == null || sent == 0
                ? Mono.just(response)
                : Mono.delay(reply.trickle().multipliedBy(sent)).thenReturn(response);
    }

    /** Allocated whole: in memory, a huge body is only as huge as the heap allows. */
    private static byte[] huge(long bytes) {
        byte[] body = new byte[Math.toIntExact(bytes)];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    private static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a gzip stub body", e);
        }
    }
}
