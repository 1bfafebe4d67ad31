package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunReport;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import dev.sluice.fetch.FaultyServer.Answer;
import dev.sluice.fetch.FaultyServer.Huge;
import dev.sluice.fetch.FaultyServer.Gzip;
import dev.sluice.fetch.FaultyServer.Reset;
import dev.sluice.fetch.FaultyServer.ResetMidBody;
import dev.sluice.fetch.FaultyServer.Respond;
import dev.sluice.fetch.FaultyServer.Stall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Fetches 400 URLs from a server injecting a seeded mix of every fault and checks that each input
 * ends exactly once, as an output or a dead letter with the expected reason and attempts, and that
 * transient faults succeed within the retry budget.
 */
class FetchAccountingTest {

    @RegisterExtension
    static final FaultyServer server = FaultyServer.start();

    private static final int URLS = 400;
    private static final Gzip BOMB = Gzip.of(new byte[1024 * 1024]);
    private static final List<Answer> TRANSIENT = List.of(
            new Respond(500, "boom"), new Respond(503, "busy"), new Reset(),
            new Respond(429, Map.of("retry-after", "0"), "slow down"));

    /** What should become of one input. */
    private record Expected(Reason reason, int attempts) {}

    @Test
    void everyInputEndsExactlyOnceWithTheRightReason() {
        Random random = new Random(20240603L);
        Map<Long, Expected> expected = new TreeMap<>();
        List<Item> inputs = new ArrayList<>();
        for (long line = 1; line <= URLS; line++) {
            String path = "/u" + line;
            expected.put(line, script(path, random));
            String url = expected.get(line).reason() == Reason.INVALID_URL ? "nope:" + path : server.url(path);
            inputs.add(Item.ofText(url, Origin.of("mix", line)));
        }
        Queue<Item> outputs = new ConcurrentLinkedQueue<>();
        Queue<Item> dead = new ConcurrentLinkedQueue<>();
        Fetch fetch = Fetch.of(FetchOptions.builder()
                .concurrency(16)
                .perHost(32)
                .timeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(3))
                .maxBody(256 * 1024)
                .retry(RetryOptions.DEFAULTS.withBackoff(Duration.ofMillis(2), Duration.ofMillis(10)).withJitter(false))
                .build());
        Pipeline pipeline = Pipeline.from(() -> Flux.fromIterable(inputs)).then(fetch)
                .to(collect(outputs)).deadLetterTo(collect(dead));

        StepVerifier.create(pipeline.run())
                .assertNext(report -> assertBalanced(report))
                .expectComplete()
                .verify(Duration.ofSeconds(25));

        Map<Long, Expected> actual = new TreeMap<>();
        outputs.forEach(item -> assertThat(actual.put(item.origin().line(),
                new Expected(null, item.metadata().attempts()))).isNull());
        dead.forEach(item -> {
            Failure f = item.failure().orElseThrow();
            assertThat(actual.put(item.origin().line(), new Expected(f.reason(), f.attempts()))).isNull();
        });
        assertThat(actual).isEqualTo(expected);
    }

    /** Scripts the answers for {@code path} and says what should come of it. */
    private static Expected script(String path, Random random) {
        int kind = random.nextInt(100);
        if (kind < 45) {
            server.route(path, new Respond(200, "{\"ok\":true}"));
            return new Expected(null, 1);
        }
        if (kind < 70) {
            int failures = 1 + random.nextInt(2);
            for (int i = 0; i < failures; i++) {
                server.script(path, TRANSIENT.get(random.nextInt(TRANSIENT.size())));
            }
            server.route(path, new Respond(200, "{\"ok\":\"eventually\"}"));
            return new Expected(null, failures + 1);
        }
        if (kind < 76) {
            server.route(path, new Respond(404, "gone"));
            return new Expected(Reason.HTTP_STATUS, 1);
        }
        if (kind < 80) {
            server.route(path, new Respond(502, "bad gateway"));
            return new Expected(Reason.HTTP_STATUS, 3);
        }
        if (kind < 83) {
            server.route(path, new ResetMidBody());
            return new Expected(Reason.RESET, 3);
        }
        if (kind < 84) {
            server.route(path, new Stall());
            return new Expected(Reason.TIMEOUT, 3);
        }
        if (kind < 88) {
            server.route(path, random.nextBoolean() ? new Huge(40) : BOMB);
            return new Expected(Reason.TOO_LARGE, 1);
        }
        if (kind < 91) {
            server.route(path, new Respond(302, Map.of("location", path), ""));
            return new Expected(Reason.TOO_MANY_REDIRECTS, 1);
        }
        if (kind < 96) {
            server.route(path, new Respond(301, Map.of("location", path + "/moved"), ""));
            server.route(path + "/moved", new Respond(200, "{\"moved\":true}"));
            return new Expected(null, 1);
        }
        return new Expected(Reason.INVALID_URL, 0);
    }

    private static void assertBalanced(RunReport report) {
        assertThat(report.inputs()).isEqualTo(URLS);
        assertThat(report.outputs() + report.deadLettered()).isEqualTo(URLS);
        assertThat(report.isBalanced()).isTrue();
    }

    private static Sink collect(Queue<Item> into) {
        return items -> items.doOnNext(into::add).count().map(SinkReport::new);
    }
}
