package dev.sluice.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ConfigException;
import dev.sluice.Origin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStateTest {

    private static final String PIPELINE = RunState.identity("source: {}".getBytes(StandardCharsets.UTF_8), List.of());

    @TempDir
    Path dir;

    private static Origin at(long line) {
        return Origin.of("urls.txt", line);
    }

    private static List<Long> admitted(RunState state, long from, long to) {
        return LongStream.rangeClosed(from, to).filter(n -> state.admit(at(n))).boxed().toList();
    }

    private String journal() throws IOException {
        return Files.readString(dir.resolve("journal"));
    }

    @Test
    void inputFilesAreCheckedOnlyAgainstWhatEarlierRunsReadAndFinished() throws IOException {
        Path urls = dir.resolve("urls.txt");
        Path state = dir.resolve("state");
        Files.writeString(urls, "a\nb\nc\n");
        try (RunState first = RunState.open(state, PIPELINE, false)) {
            assertThat(first.checkInputs(List.of(urls, dir.resolve("missing.txt")), false))
                    .as("a missing file is its source's to report").isEmpty();
            Files.writeString(urls, "x\nb\nc\n");
            assertThat(first.checkInputs(List.of(urls), false)).as("nothing finished yet: any change is fine").isEmpty();
            admitted(first, 1, 1);
            first.ended(at(1), 1);
            first.commit();
        }

        try (RunState second = RunState.open(state, PIPELINE, false)) {
            assertThat(second.checkInputs(List.of(urls), false)).as("unchanged").isEmpty();
        }
        Files.writeString(urls, "x\nb\n");
        try (RunState shrunk = RunState.open(state, PIPELINE, false)) {
            assertThatThrownBy(() -> shrunk.checkInputs(List.of(urls), false))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("the input file " + urls + " changed")
                    .hasMessageContaining("its first 6 bytes");
            assertThat(shrunk.checkInputs(List.of(urls), true)).containsExactly(urls);
        }
        try (RunState forced = RunState.open(state, PIPELINE, false)) {
            assertThat(forced.checkInputs(List.of(urls), false)).as("force recorded the file as it is now").isEmpty();
        }
    }

    @Test
    void inputsFinishedByOneRunAreSkippedByTheNext() {
        try (RunState first = RunState.open(dir, PIPELINE, false)) {
            admitted(first, 1, 5);
            List.of(1L, 2L, 4L).forEach(n -> first.ended(at(n), 1));
            first.commit();
        }

        try (RunState second = RunState.open(dir, PIPELINE, false)) {

            assertThat(second.finishedEarlier()).isEqualTo(3);
            assertThat(second.continuing()).isTrue();
            assertThat(admitted(second, 1, 7)).containsExactly(3L, 5L, 6L, 7L);
        }
    }

    @Test
    void anInputIsFinishedOnlyOnceEveryItemDescendedFromItEnded() {
        try (RunState state = RunState.open(dir, PIPELINE, false)) {
            state.admit(at(1));
            state.opened(at(1), 2);
            state.ended(at(1), 1);
            state.ended(at(1), 1);

            assertThat(state.inFlight()).isEqualTo(1);

            state.ended(at(1), 1);
            state.commit();

            assertThat(state.inFlight()).isZero();
        }
        try (RunState again = RunState.open(dir, PIPELINE, false)) {
            assertThat(again.admit(at(1))).isFalse();
        }
    }

    @Test
    void finishedInputsReachTheJournalOnlyWhenCommitted() throws IOException {
        RunState state = RunState.open(dir, PIPELINE, false);
        state.admit(at(1));
        state.ended(at(1), 1);

        assertThat(journal()).doesNotContain("d 0 1");

        state.commit();

        assertThat(journal()).contains("d 0 1\n");
        state.close();
    }

    @Test
    void aCrashBeforeCommitLosesNothingButRedoesTheInput() throws IOException {
        RunState crashed = RunState.open(dir, PIPELINE, false);
        crashed.admit(at(1));
        crashed.admit(at(2));
        crashed.ended(at(1), 1);
        crashed.commit();
        crashed.ended(at(2), 1);
        crashed.abandon();

        try (RunState resumed = RunState.open(dir, PIPELINE, false)) {
            assertThat(admitted(resumed, 1, 2)).containsExactly(2L);
        }
    }

    @Test
    void aTornLastLineOfTheJournalIsDropped() throws IOException {
        try (RunState state = RunState.open(dir, PIPELINE, false)) {
            admitted(state, 1, 3);
            state.ended(at(2), 1);
            state.commit();
        }
        String compacted = journal();
        Files.writeString(dir.resolve("journal"), "d 0 3", StandardOpenOption.APPEND);

        try (RunState resumed = RunState.open(dir, PIPELINE, false)) {
            assertThat(admitted(resumed, 1, 3)).containsExactly(1L, 3L);
            assertThat(journal()).startsWith(compacted).doesNotContain("d 0 3");
        }
    }

    @Test
    void aDamagedJournalIsRefusedWithItsLine() throws IOException {
        try (RunState state = RunState.open(dir, PIPELINE, false)) {
            admitted(state, 1, 1);
        }
        Files.writeString(dir.resolve("journal"), "x what\nd 0 2\n", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> RunState.open(dir, PIPELINE, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal")
                .hasMessageContaining("is damaged at line 4")
                .hasMessageContaining("delete " + dir);
    }

    @Test
    void anotherPipelineIsRefusedUnlessForced() {
        String changed = RunState.identity("source: {} # changed".getBytes(StandardCharsets.UTF_8), List.of());
        try (RunState state = RunState.open(dir, PIPELINE, false)) {
            admitted(state, 1, 2).forEach(n -> state.ended(at(n), 1));
        }

        assertThatThrownBy(() -> RunState.open(dir, changed, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("written by another pipeline (sha256 " + PIPELINE.substring(0, 12) + ")")
                .hasMessageContaining("not this one (sha256 " + changed.substring(0, 12) + ")")
                .hasMessageContaining("--force");
        try (RunState forced = RunState.open(dir, changed, true)) {
            assertThat(forced.replacedIdentity()).isEqualTo(PIPELINE);
            assertThat(forced.finishedEarlier()).isEqualTo(2);
        }
        try (RunState adopted = RunState.open(dir, changed, false)) {
            assertThat(adopted.replacedIdentity()).isEmpty();
        }
    }

    @Test
    void overridesArePartOfThePipelinesIdentity() {
        byte[] file = "source: {}".getBytes(StandardCharsets.UTF_8);

        assertThat(RunState.identity(file, List.of("a=1"))).isNotEqualTo(RunState.identity(file, List.of()))
                .isNotEqualTo(RunState.identity(file, List.of("a=2")))
                .isEqualTo(RunState.identity(file, List.of("a=1")));
    }

    @Test
    void twoRunsCannotShareADirectory() {
        try (RunState first = RunState.open(dir, PIPELINE, false)) {
            assertThatThrownBy(() -> RunState.open(dir, PIPELINE, false))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("in use by another run");
        }
    }

    @Test
    void aSourceThatGoesBackIsRefused() {
        try (RunState state = RunState.open(dir, PIPELINE, false)) {
            state.admit(at(5));

            assertThatThrownBy(() -> state.admit(at(3)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("input 3 came after 5");
        }
    }

    @Test
    void theJournalStaysSmallOverTenMillionInputs() throws IOException {
        long inputs = 10_000_000;
        long largest = 0;
        try (RunState state = RunState.open(dir, PIPELINE, false, 50_000)) {
            for (long n = 1; n <= inputs; n++) {
                state.admit(at(n));
                if (n % 1_000_000 != 7) {
                    state.ended(at(n), 1);
                }
                if (n % 1000 == 0) {
                    state.commit();
                    if (n % 100_000 == 0) {
                        largest = Math.max(largest, Files.size(dir.resolve("journal")));
                    }
                }
            }
        }
        long closed = Files.size(dir.resolve("journal"));
        System.out.println("FIGURES journal over 10M inputs: largest " + largest + " bytes, after close " + closed + " bytes");

        assertThat(largest).isLessThan(1_000_000);
        assertThat(closed).isLessThan(300);
        try (RunState resumed = RunState.open(dir, PIPELINE, false)) {
            assertThat(resumed.finishedEarlier()).isEqualTo(inputs - 10);
            assertThat(admitted(resumed, 1, 2_000_010)).containsExactly(7L, 1_000_007L, 2_000_007L);
        }
    }
}
