package dev.sluice.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Serves a directory over HTTP on 127.0.0.1 (an ephemeral port) for the length of a run, so sample
 * data shipped with a pipeline goes through the real HTTP client. Missing files answer 404.
 */
final class LocalSite implements AutoCloseable {

    private final DisposableServer server;

    private LocalSite(DisposableServer server) {
        this.server = server;
    }

    static LocalSite serve(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new NoSuchFileException(dir.toString(), null, "--serve needs a directory"));
        }
        Path root = dir.toAbsolutePath().normalize();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.directory("/", root))
                .bindNow(Duration.ofSeconds(10));
        return new LocalSite(server);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
