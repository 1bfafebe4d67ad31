package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.fetch.Fetch;
import dev.sluice.parse.Parse;
import dev.sluice.source.Inputs;
import dev.sluice.transform.Jq;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class PipelineAccountingTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private final ConcurrentLinkedQueue<Item> written = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Item> deadLetters = new ConcurrentLinkedQueue<>();

    private Sink collect(ConcurrentLinkedQueue<Item> into) {
        return items -> items.doOnNext(into::add).count().map(SinkReport::new);
    }

    /** Fetches, parses and keeps scores of at least 50, collecting outputs and dead letters. */
    private Mono<RunReport> popular(Source source, Stage fetch, Stage parse) {
        return Pipeline.from(source)
                .then(fetch)
                .then(parse)
                .then(Jq.filter(".score >= 50"))
                .to(collect(written))
                .deadLetterTo(collect(deadLetters))
                .run();
    }

    @Test
    void everyInputIsAccountedForExactlyOnce() throws IOException {
        server.respond("/good/1", 200, "{\"score\": 90}");
        server.respond("/good/2", 200, "{\"score\": 70}");
        server.respond("/low", 200, "{\"score\": 10}");
        server.respond("/malformed", 200, "{\"score\": ");
        server.respond("/ndjson", 200, "{\"score\": 60}\n{\"score\": 5}\n");
        List<String> urls = List.of(
                server.url("/good/1"),
                server.url("/missing"),
                refusedUrl(),
                server.url("/good/2"),
                server.url("/malformed"),
                "not a url",
                server.url("/low"));

        Mono<RunReport> run = popular(Inputs.urls(urls), Fetch.get().concurrency(4).timeout(Duration.ofSeconds(5)),
                Parse.json());

        StepVerifier.create(run)
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(7);
                    assertThat(report.outputs()).isEqualTo(2);
                    assertThat(report.filtered()).isEqualTo(1);
                    assertThat(report.deadLettered()).isEqualTo(4);
                    assertThat(report.deadLetterReasons()).isEqualTo(Map.of(
                            "http_status", 1L, "connect", 1L, "parse", 1L, "invalid_url", 1L));
                    assertThat(report.requests()).as("the refused connection is tried 3 times").isEqualTo(8);
                    assertThat(report.retries()).isEqualTo(2);
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
        List<Long> outLines = written.stream().map(i -> i.origin().line()).sorted().toList();
        List<Long> deadLines = deadLetters.stream().map(i -> i.origin().line()).sorted().toList();
        assertThat(outLines).containsExactly(1L, 4L);
        assertThat(deadLines).containsExactly(2L, 3L, 5L, 6L);
        Set<Long> seen = new HashSet<>(outLines);
        seen.addAll(deadLines);
        assertThat(seen).hasSize(6).doesNotContain(7L);
    }

    @Test
    void explodedItemsAreReconciledThroughExpanded() {
        server.respond("/ndjson", 200, "{\"score\": 60}\n{\"score\": 5}\nnot json\n{\"score\": 99}\n");

        Mono<RunReport> run = popular(Inputs.url(server.url("/ndjson")), Fetch.get(), Parse.ndjson());

        StepVerifier.create(run)
                .assertNext(report -> {
                    assertThat(report.inputs()).isEqualTo(1);
                    assertThat(report.expanded()).isEqualTo(3);
                    assertThat(report.outputs()).isEqualTo(2);
                    assertThat(report.filtered()).isEqualTo(1);
                    assertThat(report.deadLettered()).isEqualTo(1);
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();
        assertThat(new ArrayList<>(deadLetters)).singleElement()
                .satisfies(item -> assertThat(item.failure().orElseThrow().message()).contains("line 3"));
    }

    private static String refusedUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/refused";
    }
}
