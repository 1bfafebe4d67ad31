package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class PipelineTestsTest {

    @RegisterExtension
    static final StubServer stub = StubServer.start();

    private static final Path DIR = Path.of("src/test/resources/testkit");

    @Test
    void casesWhoseExpectationsHoldPass() {
        PipelineTests tests = PipelineTests.load(DIR.resolve("items.test.yaml"));

        StepVerifier.create(tests.run(stub))
                .assertNext(result -> assertThat(result.mismatches()).as(result.describe()).isEmpty())
                .assertNext(result -> assertThat(result.mismatches()).as(result.describe()).isEmpty())
                .verifyComplete();
        assertThat(tests.pipeline()).isEqualTo(DIR.resolve("items.yaml"));
        assertThat(tests.cases()).extracting(TestCase::name)
                .containsExactly("keeps id and name of each item", "dead-letters a 404 and a malformed body");
    }

    @Test
    void virtualTimeCasesWaitMinutesOfBackoffRetryAfterAndRateLimitInWellUnderTheirWallTime() {
        PipelineTests tests = PipelineTests.load(DIR.resolve("virtual/slow.test.yaml"));

        StepVerifier.create(tests.run(stub))
                .assertNext(result -> {
                    assertThat(result.mismatches()).as(result.describe()).isEmpty();
                    assertThat(result.elapsed()).isLessThan(java.time.Duration.ofSeconds(10));
                })
                .assertNext(result -> assertThat(result.mismatches())
                        .containsExactly("the run did not complete within 30s of virtual time (set timeout: on the case)"))
                .verifyComplete();
    }

    @Test
    void everyWrongExpectationIsReportedWithADiff() {
        PipelineTests tests = PipelineTests.load(DIR.resolve("wrong.test.yaml"));

        StepVerifier.create(tests.run(stub))
                .assertNext(result -> {
                    List<String> m = result.mismatches();
                    assertThat(result.passed()).isFalse();
                    assertThat(m).hasSize(7);
                    assertThat(m.get(0)).isEqualTo("output_count: expected 3, got 2");
                    assertThat(m.get(1)).isEqualTo("""
                            outputs differ (expected 2 items, got 2): 1 missing, 1 unexpected
                            - {"id":2,"name":"deux"}
                            + {"id":2,"name":"two"}
                                at /name: expected "deux", got "two\"""");
                    assertThat(m.get(2)).startsWith("""
                            outputs_contain: 1 expected item(s) not among the 2 outputs
                            - {"id":3,"name":"three"}
                            outputs were:""");
                    assertThat(m.get(3)).isEqualTo("dead_letters: expected {http_status=1}, got {}");
                    assertThat(m.get(4)).isEqualTo("requests total: expected 3, got 2");
                    assertThat(m.get(5)).isEqualTo(
                            "requests /items/2.json: expected 2, got 1 (requested: {/items/1.json=1, /items/2.json=1})");
                    assertThat(m.get(6)).isEqualTo("""
                            outputs_satisfy '.id < 2': 1 of 2 outputs do not satisfy it
                            - {"id":2,"name":"two"}""");
                    assertThat(result.describe()).startsWith("  FAIL expects the wrong name (")
                            .contains("\n      output_count: expected 3, got 2\n");
                })
                .verifyComplete();
    }

    @Test
    void anInvalidTestFileListsEveryProblemWithItsPosition() {
        String file = DIR.resolve("broken.test.yaml").toString();

        assertThatThrownBy(() -> PipelineTests.load(DIR.resolve("broken.test.yaml")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).map(Object::toString)
                        .containsExactly(
                                file + ":4:5: /tests/0/stub: unknown field 'stub' in a test case (did you mean 'stubs'?);"
                                        + " known: name, env, set, stubs, expect, timeout, virtual_time",
                                file + ":7:24: /tests/0/stubs/~1items~11.json/staus: unknown field 'staus' in a stub reply"
                                        + " (did you mean 'status'?); known: " + String.join(", ", StubReader.FIELDS),
                                file + ":8:14: /tests/0/stubs/items: stub key must be a path starting with '/', a URL or"
                                        + " host/path, was 'items'",
                                file + ":9:32: /tests/0/stubs/~1items~12.json/status: status must be between 100 and 599,"
                                        + " was 700",
                                file + ":9:44: /tests/0/stubs/~1items~12.json/fault: unknown fault 'explode'; known: reset,"
                                        + " stall, reset_mid_body",
                                file + ":11:36: /tests/0/expect/dead_letters/http_stauts: unknown reason 'http_stauts'"
                                        + " (did you mean 'http_status'?); known: http_status, timeout, connect, reset,"
                                        + " too_large, too_many_redirects, invalid_url, blocked, parse, transform, sink",
                                file + ":12:24: /tests/0/expect/outputs_satisfy: not a valid jq expression '.id <': invalid"
                                        + " jq expression '.id <': Encountered \"<EOF>\" at line 1, column 5.",
                                file + ":13:31: /tests/0/expect/requests/everything: requests keys are 'total' or a path"
                                        + " starting with '/', was 'everything'",
                                file + ":14:5: /tests/1: a test case needs name: (a sentence saying what it checks)",
                                file + ":14:5: /tests/1: a test case needs expect: (outputs, dead_letters, requests, ...)"));
    }

    @Test
    void aTestFileIsFoundForAPipelineFileADirectoryOrItself() {
        assertThat(PipelineTests.find(DIR.resolve("items.yaml"))).containsExactly(DIR.resolve("items.test.yaml"));
        assertThat(PipelineTests.find(DIR)).containsExactly(
                DIR.resolve("broken.test.yaml"), DIR.resolve("items.test.yaml"), DIR.resolve("wrong.test.yaml"));
        assertThat(PipelineTests.find(DIR.resolve("wrong.test.yaml"))).containsExactly(DIR.resolve("wrong.test.yaml"));
    }

    @Test
    void aPipelineWithoutTestsIsReported(@TempDir Path dir) {
        Path pipeline = dir.resolve("lonely.yaml");

        assertThatThrownBy(() -> PipelineTests.find(pipeline))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().get(0).message())
                        .isEqualTo("no test file for this pipeline; expected " + dir.resolve("lonely.test.yaml")));
    }
}
