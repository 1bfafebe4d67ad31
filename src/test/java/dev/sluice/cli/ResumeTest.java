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

    /** The numbers pipeline reading its URLs from {@code urls.txt}, one line per input 1..n. */
    private Path fromUrlFile(long n) throws IOException {
        Path pipeline = site.pipeline(tmp, n);
        Path urls = tmp.resolve("urls.txt");
        StringBuilder lines = new StringBuilder();
        for (long i = 1; i <= n; i++) {
            lines.append(site.url(i)).append('\n');
        }
        Files.writeString(urls, lines);
        String yaml = Files.readString(pipeline).replaceFirst("(?m)^  range:.*$",
                "  file: { path: '" + urls + "' }");
        Files.writeString(pipeline, yaml);
        return pipeline;
    }

    @Test
    void anInputFileWhoseEarlierLinesChangedIsRefusedButOneThatGrewResumes() throws IOException {
        Path pipeline = fromUrlFile(40);
        Path urls = tmp.resolve("urls.txt");
        assertThat(sluice(pipeline, "--limit", "10")).as(err.toString()).isZero();

        // lines appended: the first 40 are the ones the journal speaks of, so the run goes on
        Files.writeString(urls, site.url(41) + "\n" + site.url(42) + "\n", StandardOpenOption.APPEND);
        assertThat(sluice(pipeline, "--limit", "10")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("resumed: 10 inputs already finished");

        // a line inserted at the top would shift every line the journal names: refused
        String grown = Files.readString(urls);
        Files.writeString(urls, site.url(43) + "\n" + grown);
        int refused = sluice(pipeline);
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("the input file " + urls + " changed since an earlier run")
                .contains("--force");

        // put back as the last run read it, the run finishes every input exactly once
        Files.writeString(urls, grown);
        assertThat(sluice(pipeline)).as(err.toString()).isZero();
        assertThat(err.toString()).contains("resumed: 20 inputs already finished");
        NumbersSite.Check check = NumbersSite.check(tmp, 42);
        assertThat(check.missing()).isEmpty();
        assertThat(check.duplicates()).isZero();

        // --force takes a changed file, and says so
        Files.writeString(urls, site.url(43) + "\n" + grown);
        assertThat(sluice(pipeline, "--force")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("--force: resuming").contains("the input file " + urls + " changed");
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
