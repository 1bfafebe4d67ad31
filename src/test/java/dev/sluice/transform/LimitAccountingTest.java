package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.LocalHttpServer;
import dev.sluice.LocalHttpServer.Delayed;
import dev.sluice.LocalHttpServer.Respond;
import dev.sluice.Pipeline;
import dev.sluice.RunContext;
import dev.sluice.RunReport;
import dev.sluice.Sink;
import dev.sluice.SinkReport;
import dev.sluice.fetch.Fetch;
import dev.sluice.fetch.Pagination;
import dev.sluice.fetch.RetryOptions;
import dev.sluice.parse.Parse;
import dev.sluice.source.Inputs;
import dev.sluice.state.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** A limit after slow, concurrent fetches: every input read ends counted, before the report is taken. */
class LimitAccountingTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static final Sink COUNTING_SINK = items -> items.count().map(SinkReport::new);

    @TempDir
    Path dir;

    private static void slowNumbers(int count) {
        for (int n = 1; n <= count; n++) {
            server.route("/n/" + n, new Delayed(Duration.ofMillis(n % 5 * 15L),
                    new Respond(200, Map.of(), "{\"n\":" + n + ",\"parts\":[" + n + "," + -n + "]}")));
        }
    }

    @Test
    void aLimitAfterSlowConcurrentFetchesAccountsForEveryInputReadInEachRun() {
        slowNumbers(200);
        Pipeline pipeline = Pipeline.from(Inputs.range(server.url("/n/{n}"), 1, 200))
                .then(Fetch.get().concurrency(8))
                .then(Parse.json())
                .then(Jq.explode(".parts[]"))
                .then(Transform.limit(5))
                .to(COUNTING_SINK);

        for (int run = 0; run < 5; run++) {
            StepVerifier.create(pipeline.run())
                    .assertNext(report -> {
                        assertThat(report.outputs()).isEqualTo(5);
                        assertThat(report).extracting(RunReport::isBalanced).as(report.toJson().toString())
                                .isEqualTo(true);
                        assertThat(report.requests()).as("every input read is fetched, none cancelled")
                                .isEqualTo(report.inputs());
                        assertThat(report.cut()).isEqualTo(report.inputs() * 2 - 5);
                        assertThat(report.inputs()).isBetween(3L, 40L);
                    })
                    .verifyComplete();
        }
    }

    @Test
    void aLimitCutsAPaginationShortAndLeavesItsInputUnfinished() {
        for (int page = 1; page <= 300; page++) {
            server.route("/c?page=" + page, new Delayed(Duration.ofMillis(5),
                    new Respond(200, Map.of(), "[" + page + "]")));
        }
        Pipeline pipeline = Pipeline.from(Inputs.url(server.url("/c")))
                .then(Fetch.get().retry(RetryOptions.NONE).paginate(Pagination.page("page", 1).withMaxPages(1_000)))
                .then(Transform.limit(3))
                .to(COUNTING_SINK);

        RunReport report;
        try (RunState state = RunState.open(dir, "limit-test", false)) {
            report = pipeline.run(new RunContext().follow(state)).block(Duration.ofSeconds(10));
        }

        assertThat(report.outputs()).isEqualTo(3);
        assertThat(report.isBalanced()).as(report.toJson().toString()).isTrue();
        assertThat(report.requests()).as("pages fetched after the limit").isLessThan(20);
        try (RunState again = RunState.open(dir, "limit-test", false)) {
            assertThat(again.finishedEarlier()).as("a cut collection runs again").isZero();
        }
    }
}
