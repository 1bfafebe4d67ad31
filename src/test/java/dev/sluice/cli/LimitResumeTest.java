package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limit} steps and {@code --limit} with {@code --state}: resumed until done, nothing lost. */
class LimitResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final NumbersSite site = new NumbersSite(Duration.ofMillis(20));
    private StringWriter err = new StringWriter();

    @AfterEach
    void stopSite() {
        site.close();
    }

    private JsonNode sluice(Path pipeline, String... extra) throws IOException {
        err = new StringWriter();
        Path report = tmp.resolve("report.json");
        List<String> args = new ArrayList<>(List.of("run", pipeline.toString(), "--no-progress",
                "--state", tmp.resolve("state").toString(), "--report", report.toString()));
        args.addAll(List.of(extra));
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return JSON.readTree(report.toFile());
    }

    @Test
    void aLimitStepResumedUntilDoneLosesNoInputAndRepeatsOnlyWhatItCut() throws IOException {
        long n = 30;
        Path pipeline = site.pipeline(tmp, n, "  - limit: 8");
        long cut = 0;
        int runs = 0;
        JsonNode report;

        do {
            report = sluice(pipeline);
            runs++;
            assertThat(report.get("balanced").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.get("requests").asLong()).as("no request cancelled").isEqualTo(report.get("inputs").asLong());
            cut += report.get("cut").asLong();
        } while (report.get("inputs").asLong() > 0 && runs < 20);

        assertThat(runs).isBetween(3, 19);
        assertThat(cut).isPositive();
        assertThat(err.toString()).contains("resumed: " + n + " inputs already finished");
        NumbersSite.Check check = NumbersSite.check(tmp, n);
        assertThat(check.missing()).isEmpty();
        assertThat(check.duplicates()).as("only items that passed a limit while another item of their input was cut")
                .isLessThanOrEqualTo(cut);
    }

    @Test
    void limitWithStateTakesTheNextInputsOnEachResumedRun() throws IOException {
        long n = 60;
        Path pipeline = site.pipeline(tmp, n);

        List<Long> inputs = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            JsonNode report = sluice(pipeline, "--limit", "20");
            assertThat(report.get("balanced").asBoolean()).as(report.toString()).isTrue();
            inputs.add(report.get("inputs").asLong());
        }

        assertThat(inputs).containsExactly(20L, 20L, 20L, 0L);
        NumbersSite.Check check = NumbersSite.check(tmp, n);
        assertThat(check.missing()).isEmpty();
        assertThat(check.duplicates()).isZero();
    }
}
