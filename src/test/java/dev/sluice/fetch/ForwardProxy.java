package dev.sluice.fetch;

import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A loopback HTTP forward proxy for tests: it records the request line of every request it gets,
 * absolute-form ({@code GET http://host/path HTTP/1.1}) or a {@code CONNECT host:port} and the request
 * tunnelled after it, and answers each request itself with 200 and a body naming what it saw, so a
 * response that came through the proxy is unmistakable. It forwards nothing.
 */
final class ForwardProxy implements AutoCloseable {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    private ForwardProxy() {
        server = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> c.addHandlerLast(new LineBasedFrameDecoder(16 * 1024)))
                .handle((in, out) -> {
                    List<String> head = new ArrayList<>();
                    return out.sendString(in.receive().asString(StandardCharsets.ISO_8859_1)
                            .concatMap(line -> answer(head, line.strip())));
                })
                .bindNow();
    }

    static ForwardProxy start() {
        return new ForwardProxy();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The request lines received, in order. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    private Flux<String> answer(List<String> head, String line) {
        if (!line.isEmpty()) {
            head.add(line);
            return Flux.empty();
        }
        if (head.isEmpty()) {
            return Flux.empty();
        }
        String requestLine = head.get(0);
        head.clear();
        seen.add(requestLine);
        if (requestLine.startsWith("CONNECT ")) {
            return Flux.just("HTTP/1.1 200 Connection established\r\n\r\n");
        }
        String body = "via proxy: " + requestLine;
        return Mono.just("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: "
                + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body).flux();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
