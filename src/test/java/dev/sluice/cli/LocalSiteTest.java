package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

class LocalSiteTest {

    @TempDir
    Path dir;

    private static Mono<String> get(String url) {
        return HttpClient.create().get().uri(url)
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> res.status().code() + " " + res.responseHeaders().get("link", "-") + " " + text));
    }

    @Test
    void servesFilesQueriesSidecarHeadersAndStatuses() throws IOException {
        Files.createDirectories(dir.resolve("api.example.com/items"));
        Files.writeString(dir.resolve("api.example.com/items/1.json"), "{\"id\":1}");
        Files.writeString(dir.resolve("api.example.com/items?page=2"), "[2]");
        Files.writeString(dir.resolve("api.example.com/items?page=2.headers"), "Link: <https://api.example.com/items?page=3>; rel=\"next\"\n");
        Files.writeString(dir.resolve("api.example.com/gone.headers"), "Status: 410\n");

        try (LocalSite site = LocalSite.serve(dir)) {
            String base = site.baseUrl();

            StepVerifier.create(get(base + "/api.example.com/items/1.json")).expectNext("200 - {\"id\":1}").verifyComplete();
            StepVerifier.create(get(base + "/api.example.com/items?page=2"))
                    .expectNext("200 <https://api.example.com/items?page=3>; rel=\"next\" [2]").verifyComplete();
            StepVerifier.create(get(base + "/api.example.com/gone")).expectNext("410 - ").verifyComplete();
            StepVerifier.create(get(base + "/api.example.com/missing.json"))
                    .assertNext(answer -> assertThat(answer).startsWith("404 - not found")).verifyComplete();
            StepVerifier.create(get(base + "/%2e%2e/%2e%2e/etc/passwd"))
                    .assertNext(answer -> assertThat(answer).startsWith("403")).expectComplete().verify(Duration.ofSeconds(5));
        }
    }

    @Test
    void rewriteSendsOtherHostsToTheSiteAndLeavesItsOwnUrls() {
        try (LocalSite site = LocalSite.serve(dir)) {
            URI own = URI.create(site.baseUrl() + "/items/1.json");

            assertThat(site.rewrite().apply(URI.create("https://api.example.com/v1/items?page=2")))
                    .isEqualTo(URI.create(site.baseUrl() + "/api.example.com/v1/items?page=2"));
            assertThat(site.rewrite().apply(own)).isEqualTo(own);
        }
    }
}
