package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import dev.sluice.source.Inputs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The in-memory transport seam: requests rendered as the client sends them, responses read with its rules. */
class InMemoryHttpTest {

    private final List<InMemoryHttp.Request> seen = new CopyOnWriteArrayList<>();

    @Test
    void requestsCarryTheStageHeadersAndCredentialsStayOnTheOriginHost() {
        InMemoryHttp http = request -> {
            seen.add(request);
            return Mono.just(request.url().getHost().equals("a.example")
                    ? InMemoryHttp.Response.of(302, List.of(Map.entry("location", "https://b.example/next")), new byte[0])
                    : InMemoryHttp.Response.of(200, List.of(Map.entry("etag", "e1")), "done".getBytes(StandardCharsets.UTF_8)));
        };
        Pipeline pipeline = Pipeline.from(Inputs.url("https://a.example/start"))
                .then(Fetch.get().header("x-app", "sluice").auth(Auth.bearer("secret")));

        StepVerifier.create(pipeline.results(InMemoryHttp.install(new RunContext(), http)))
                .assertNext(item -> {
                    assertThat(item.value().asText()).isEqualTo("done");
                    assertThat(item.metadata().url()).isEqualTo("https://b.example/next");
                    assertThat(item.metadata().headers()).containsEntry("etag", "e1");
                })
                .verifyComplete();

        assertThat(seen).extracting(r -> r.method() + " " + r.url() + " host=" + r.headers().get("host")
                        + " x-app=" + r.headers().get("x-app") + " auth=" + r.headers().get("authorization"))
                .containsExactly(
                        "GET https://a.example/start host=a.example x-app=sluice auth=Bearer secret",
                        "GET https://b.example/next host=b.example x-app=sluice auth=null");
    }

    @Test
    void aBodyOverTheLimitFailsAsTooLarge() {
        InMemoryHttp http = request -> Mono.just(InMemoryHttp.Response.of(200, List.of(), new byte[2048]));
        Pipeline pipeline = Pipeline.from(Inputs.url("https://a.example/big")).then(Fetch.get().maxBody(1024));

        StepVerifier.create(pipeline.results(InMemoryHttp.install(new RunContext(), http)))
                .assertNext(item -> {
                    assertThat(item.failure().orElseThrow().reason()).isEqualTo(Reason.TOO_LARGE);
                    assertThat(item.failure().orElseThrow().message()).isEqualTo("GET https://a.example/big failed:"
                            + " too large (body exceeds the maximum of 1024 bytes)");
                })
                .verifyComplete();
    }

    @Test
    void retryStatusesAreRetriedOnTheReactorClock() {
        InMemoryHttp http = request -> Mono.just(InMemoryHttp.Response.of(seen.add(request) && seen.size() < 3 ? 503 : 200,
                List.of(), "{}".getBytes(StandardCharsets.UTF_8)));
        RetryOptions retry = RetryOptions.DEFAULTS.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).withJitter(false);
        Pipeline pipeline = Pipeline.from(Inputs.url("https://a.example/flaky")).then(Fetch.get().retry(retry));

        StepVerifier.withVirtualTime(() -> pipeline.results(InMemoryHttp.install(new RunContext(), http)))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(2).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(item -> assertThat(item.metadata().attempts()).isEqualTo(3))
                .verifyComplete();
    }

    @Test
    void aRunTakesOneResponder() {
        RunContext run = InMemoryHttp.install(new RunContext(), request -> Mono.never());

        assertThatThrownBy(() -> InMemoryHttp.install(run, request -> Mono.never()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the run already answers its requests in memory");
    }
}
