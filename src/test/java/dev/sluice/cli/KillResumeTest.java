package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real {@code sluice run --state} processes with SIGKILL (and SIGTERM) at seeded random points
 * of a run against a slow loopback site, resumes each until it completes, and checks that the output
 * and dead-letter files account for every input, counting the duplicates.
 */
class KillResumeTest {

    private static final long INPUTS = 1000;
    private static final int KILLS = 2;
    private static final long[] SEEDS = {11, 23, 37};
    /** Each kill may repeat at most one sync batch of each of the two sinks. */
    private static final long DUPLICATES_PER_KILL = 2L * 1024;

    @TempDir
    Path tmp;

    private final NumbersSite site = new NumbersSite(Duration.ofMillis(4));

    @AfterEach
    void stopSite() {
        site.close();
    }

    private Process sluice(Path dir, Path pipeline) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", pipeline.toString(), "--no-progress",
                "--state", dir.resolve("state").toString()));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile()))
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .start();
    }

    /** Waits until the site saw {@code requests} more requests or the process ended; true when it still runs. */
    private boolean runsUntil(Process process, long requests, long deadline) throws InterruptedException {
        long target = site.requests() + requests;
        while (site.requests() < target && System.nanoTime() < deadline) {
            if (process.waitFor(5, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return process.isAlive();
    }

    @Test
    void killedRunsResumedUntilDoneAccountForEveryInput() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        StringBuilder figures = new StringBuilder();
        for (long seed : SEEDS) {
            Path dir = Files.createDirectories(tmp.resolve("seed-" + seed));
            Path pipeline = site.pipeline(dir, INPUTS);
            Random random = new Random(seed);
            int kills = 0;
            int runs = 0;
            int code;
            long t0 = System.nanoTime();
            while (true) {
                Process process = sluice(dir, pipeline);
                runs++;
                boolean kill = kills < KILLS
                        && runsUntil(process, 50 + random.nextInt((int) INPUTS / (KILLS + 1)), deadline);
                if (kill) {
                    process.waitFor(random.nextInt(40), TimeUnit.MILLISECONDS);
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                    kills++;
                    continue;
                }
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("run ends").isTrue();
                code = process.exitValue();
                break;
            }
            String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);

            assertThat(code).as(stderr).isZero();
            NumbersSite.Check check = NumbersSite.check(dir, INPUTS);
            assertThat(check.missing()).as(stderr).isEmpty();
            assertThat(check.duplicates()).isLessThanOrEqualTo(kills * DUPLICATES_PER_KILL);
            assertThat(stderr).contains("resumed: ");
            figures.append(String.format("seed %d: %d runs, %d kills, %d lines, %d duplicates, %d s%n",
                    seed, runs, kills, check.lines(), check.duplicates(), (System.nanoTime() - t0) / 1_000_000_000));
        }
        System.out.print("FIGURES kill -9\n" + figures);
        assertThat(System.nanoTime()).as("within the time bound").isLessThan(deadline);
    }

    @Test
    void aRunStoppedBySigtermResumesWithoutDuplicates() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path pipeline = site.pipeline(tmp, INPUTS);
        Process process = sluice(tmp, pipeline);
        assertThat(runsUntil(process, 300, deadline)).as("still running after 300 requests").isTrue();

        process.destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        assertThat(NumbersSite.check(tmp, INPUTS).missing()).isNotEmpty();
        Process resumed = sluice(tmp, pipeline);
        assertThat(resumed.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8);
        assertThat(resumed.exitValue()).as(stderr).isZero();
        assertThat(stderr).contains("run again with --state").contains("resumed: ");
        NumbersSite.Check check = NumbersSite.check(tmp, INPUTS);
        assertThat(check.missing()).isEmpty();
        assertThat(check.duplicates()).isZero();
    }
}
