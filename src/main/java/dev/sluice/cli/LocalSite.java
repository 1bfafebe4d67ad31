package dev.sluice.cli;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Serves a directory over HTTP on 127.0.0.1 (an ephemeral port) for the length of a run, so sample
 * data shipped with a pipeline goes through the real HTTP client.
 *
 * <p>Layout: {@code DIR/items/1.json} answers {@code /items/1.json}; a request with a query string is
 * answered by the file whose name ends with {@code ?query}; an optional sidecar
 * {@code <file>.headers} holds response headers ({@code Name: value} lines) and may set
 * {@code Status: 404}. Missing files answer 404; paths that leave the directory answer 403.
 *
 * <p>{@link #rewrite()} sends requests for other hosts here too, as {@code /<host>/<path>}, so a
 * pipeline written against a public API runs offline against recorded responses in
 * {@code DIR/<host>/...}.
 */
final class LocalSite implements AutoCloseable {

    private final DisposableServer server;

    private LocalSite(DisposableServer server) {
        this.server = server;
    }

    static LocalSite serve(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--serve needs a directory; " + dir + " is none");
        }
        Path root = dir.toAbsolutePath().normalize();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> answer(root, request, response))
                .bindNow(Duration.ofSeconds(10));
        return new LocalSite(server);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Maps URLs of other hosts onto this site as {@code /<host>/<path>}; URLs of this site stay. */
    UnaryOperator<URI> rewrite() {
        int port = server.port();
        return uri -> {
            if ("127.0.0.1".equals(uri.getHost()) && uri.getPort() == port) {
                return uri;
            }
            String path = "/" + uri.getHost() + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
            return URI.create(baseUrl() + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        };
    }

    private static Publisher<Void> answer(Path root, HttpServerRequest request, HttpServerResponse response) {
        return Mono.fromCallable(() -> read(root, request.uri()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(file -> send(file, response));
    }

    private record Found(int status, List<String> headers, byte[] body) {}

    private static Found read(Path root, String uri) throws IOException {
        int q = uri.indexOf('?');
        String path = URLDecoder.decode(q < 0 ? uri : uri.substring(0, q), StandardCharsets.UTF_8);
        String query = q < 0 ? "" : "?" + URLDecoder.decode(uri.substring(q + 1), StandardCharsets.UTF_8);
        Path file = root.resolve(path.replaceFirst("^/+", "") + query).normalize();
        if (!file.startsWith(root)) {
            return new Found(403, List.of(), ("outside the served directory: " + uri).getBytes(StandardCharsets.UTF_8));
        }
        Path sidecar = file.resolveSibling(file.getFileName() + ".headers");
        List<String> headers = Files.isRegularFile(sidecar) ? Files.readAllLines(sidecar, StandardCharsets.UTF_8) : List.of();
        int status = headers.stream().filter(h -> h.regionMatches(true, 0, "Status:", 0, 7))
                .map(h -> Integer.parseInt(h.substring(7).strip())).findFirst().orElse(200);
        if (!Files.isRegularFile(file)) {
            return status != 200
                    ? new Found(status, headers, new byte[0])
                    : new Found(404, List.of(), ("not found: " + uri).getBytes(StandardCharsets.UTF_8));
        }
        return new Found(status, headers, Files.readAllBytes(file));
    }

    private static Mono<Void> send(Found found, HttpServerResponse response) {
        response.status(HttpResponseStatus.valueOf(found.status()));
        for (String header : found.headers()) {
            int colon = header.indexOf(':');
            if (colon > 0 && !header.regionMatches(true, 0, "Status:", 0, 7)) {
                response.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
        }
        return response.sendByteArray(Mono.just(found.body())).then();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
