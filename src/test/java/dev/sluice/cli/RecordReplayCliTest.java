package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.LocalHttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run --record DIR} then {@code --replay DIR} gives the same output without the origin. */
class RecordReplayCliTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int sluice(String... args) {
        return Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void recordedRunReplaysWithoutTheOrigin() throws IOException {
        server.respond("/a.json", 200, "{\"id\":1,\"token\":\"x\"}");
        server.respond("/b.json", 200, "{\"id\":2}");
        Path file = tmp.resolve("p.yaml");
        Files.writeString(file, """
                source: { urls: ['%s', '%s', '%s'] }
                steps:
                  - fetch: { retry: { attempts: 1 } }
                  - parse: json
                sink: { file: { path: '%s' } }
                """.formatted(server.url("/a.json"), server.url("/b.json"), server.url("/missing"), tmp.resolve("out.ndjson")));

        assertThat(sluice("run", file.toString(), "--no-progress", "--record", tmp.resolve("rec").toString()))
                .as(err.toString()).isZero();
        java.util.List<String> recorded = Files.readAllLines(tmp.resolve("out.ndjson"));
        int requestsWhileRecording = server.requests().size();
        try (Stream<Path> files = Files.list(tmp.resolve("rec"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".http")).count()).isEqualTo(3);
        }

        assertThat(sluice("run", file.toString(), "--no-progress", "--replay", tmp.resolve("rec").toString()))
                .as(err.toString()).isZero();

        assertThat(server.requests()).as("the origin is not asked again").hasSize(requestsWhileRecording);
        assertThat(Files.readAllLines(tmp.resolve("out.ndjson"))).as("fetch order may differ")
                .containsExactlyInAnyOrderElementsOf(recorded).hasSize(2);
        assertThat(err.toString()).contains("recorded 3 exchanges");
    }

    @Test
    void recordAndReplayExcludeEachOther() {
        assertThat(sluice("run", "pipelines/quickstart.yaml", "--record", tmp.toString(), "--replay", tmp.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--record and --replay exclude each other");
    }

    @Test
    void directoriesThatCannotServeAreUsageErrorsSaidInWords() throws IOException {
        Path inTheWay = Files.writeString(tmp.resolve("a-file"), "");
        Path missing = tmp.resolve("missing");

        assertThat(sluice("run", "pipelines/quickstart.yaml", "--replay", missing.toString())).isEqualTo(2);
        assertThat(sluice("run", "pipelines/quickstart.yaml", "--record", inTheWay.resolve("rec").toString()))
                .isEqualTo(2);
        assertThat(sluice("run", "pipelines/quickstart.yaml", "--serve", missing.toString())).isEqualTo(2);

        assertThat(err.toString().lines()).containsExactly(
                "sluice: --replay: cannot read recordings in " + missing + ": no such file or directory",
                "sluice: --record: cannot create recordings directory " + inTheWay.resolve("rec") + ": Not a directory",
                "sluice: --serve needs a directory; " + missing + " is none");
    }
}
