package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run --state DIR} in-process: stopped runs resumed, changed pipelines refused. */
class ResumeTest {

    private static final long N = 60;

    @TempDir
    Path tmp;

    private final NumbersSite site = new NumbersSite(Duration.ZERO);
    private StringWriter err = new StringWriter();

    @AfterEach
    void stopSite() {
        site.close();
    }

    private int sluice(Path pipeline, String... extra) {
        err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("run", pipeline.toString(), "--no-progress",
                "--state", tmp.resolve("state").toString()));
        args.addAll(List.of(extra));
        return Main.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
    }

    @Test
    void aCompletedRunRunAgainSkipsEveryInputAndWritesNothingMore() throws IOException {
        Path pipeline = site.pipeline(tmp, N);
        assertThat(sluice(pipeline)).as(err.toString()).isZero();
        String output = Files.readString(tmp.resolve("out.ndjson"));

        int code = sluice(pipeline);

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("resumed: " + N + " inputs already finished")
                .contains("numbers: 0 inputs -> 0 outputs").contains(N + " inputs skipped, finished by an earlier run");
        assertThat(Files.readString(tmp.resolve("out.ndjson"))).isEqualTo(output);
        NumbersSite.Check check = NumbersSite.check(tmp, N);
        assertThat(check.missing()).isEmpty();
        assertThat(check.duplicates()).isZero();
    }

    @Test
    void aLimitedRunIsFinishedByTheNextOneExactlyOnce() throws IOException {
        Path pipeline = site.pipeline(tmp, N);
        assertThat(sluice(pipeline, "--limit", "20")).as(err.toString()).isZero();
        assertThat(NumbersSite.check(tmp, N).missing()).hasSize(37);

        int code = sluice(pipeline);

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("resumed: 20 inputs already finished").contains("numbers: 40 inputs -> ");
        NumbersSite.Check check = NumbersSite.check(tmp, N);
        assertThat(check.missing()).isEmpty();
        assertThat(check.duplicates()).isZero();
    }

    @Test
    void aChangedPipelineIsRefusedWithExitTwoUnlessForced() throws IOException {
        Path pipeline = site.pipeline(tmp, N);
        assertThat(sluice(pipeline, "--limit", "5")).isZero();
        Files.writeString(pipeline, "# changed\n", StandardOpenOption.APPEND);

        int refused = sluice(pipeline);

        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("was written by another pipeline").contains("--force");
        assertThat(sluice(pipeline, "--set", "steps.0.fetch.concurrency=2")).isEqualTo(2);
        assertThat(sluice(pipeline, "--force")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("--force: resuming").contains("resumed: 5 inputs already finished");
        assertThat(NumbersSite.check(tmp, N).missing()).isEmpty();
    }

    @Test
    void aSinkThatCannotBeContinuedIsRefused() throws IOException {
        Path pipeline = site.pipeline(tmp, N);

        int code = sluice(pipeline, "--set", "sink.file.format=json");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot resume").contains("format: json");
    }

    @Test
    void aFullDiskAbortsWithExitOneAndTheRunResumesOnceThereIsRoom() throws IOException {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full");
        Path pipeline = site.pipeline(tmp, N);
        Path out = tmp.resolve("out.ndjson");
        Files.createSymbolicLink(out, full);

        int code = sluice(pipeline);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write " + out + ": No space left on device");
        Files.delete(out);
        assertThat(sluice(pipeline)).as(err.toString()).isZero();
        NumbersSite.Check check = NumbersSite.check(tmp, N);
        assertThat(check.missing()).isEmpty();
        assertThat(check.duplicates()).as("only dead letters of the failed run can repeat").isLessThanOrEqualTo(3);
    }

    @Test
    void forceWithoutStateIsAUsageError() throws IOException {
        Path pipeline = site.pipeline(tmp, N);

        int code = Main.execute(new String[] {"run", pipeline.toString(), "--force"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--force applies to --state only");
    }
}
