package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice test}, through {@link Main#execute}: report and exit codes. */
class TestCommandTest {

    private static final String DIR = "src/test/resources/testkit";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int sluice(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void passingTestsExitZeroWithOnePassLinePerCase() {
        int code = sluice("test", "pipelines/quickstart.yaml", DIR + "/items.test.yaml");

        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("pipelines/quickstart.test.yaml (pipelines/quickstart.yaml)\n")
                .contains("  PASS keeps the popular items and dead-letters the missing and malformed ones (")
                .contains("  PASS a score threshold of 80 keeps two items (")
                .contains("  PASS dead-letters a 404 and a malformed body (")
                .endsWith("4 cases: 4 passed, 0 failed\n");
    }

    @Test
    void aFailingCaseExitsOneWithItsDiff() {
        int code = sluice("test", DIR + "/wrong.test.yaml");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString())
                .contains("  FAIL expects the wrong name (")
                .contains("      - {\"id\":2,\"name\":\"deux\"}\n      + {\"id\":2,\"name\":\"two\"}\n"
                        + "          at /name: expected \"deux\", got \"two\"\n")
                .endsWith("1 cases: 0 passed, 1 failed\n");
    }

    @Test
    void anInvalidTestFileExitsTwoAndTheOthersStillRun() {
        int code = sluice("test", DIR);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("broken.test.yaml:4:5: /tests/0/stub: unknown field 'stub'");
        assertThat(out.toString()).endsWith("3 cases: 2 passed, 1 failed; invalid test files (see above)\n");
    }

    @Test
    void aPipelineWithoutTestsExitsTwo(@TempDir Path dir) throws Exception {
        Path pipeline = Files.copy(Path.of(DIR, "items.yaml"), dir.resolve("items.yaml"));

        int code = sluice("test", pipeline.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no test file for this pipeline; expected " + dir.resolve("items.test.yaml"));
    }
}
