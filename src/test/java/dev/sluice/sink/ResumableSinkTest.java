package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.sluice.Acknowledgements;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Reason;
import dev.sluice.SinkException;
import dev.sluice.SinkReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ResumableSinkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Records what is acknowledged, and what the file held on disk at that moment. */
    private static final class Recorded implements Acknowledgements {
        private final boolean continuing;
        private final Path file;
        final List<Item> acknowledged = new CopyOnWriteArrayList<>();
        final AtomicInteger commits = new AtomicInteger();
        final List<String> violations = new CopyOnWriteArrayList<>();

        Recorded(boolean continuing, Path file) {
            this.continuing = continuing;
            this.file = file;
        }

        @Override
        public boolean continuing() {
            return continuing;
        }

        @Override
        public void acknowledge(List<Item> items) {
            acknowledged.addAll(items);
            List<String> lines = lines(file);
            for (Item item : items) {
                if (!lines.contains(item.value().toString())) {
                    violations.add(item + " acknowledged before it was written");
                }
            }
        }

        @Override
        public void commit() {
            commits.incrementAndGet();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Flux<Item> numbers(int from, int to) {
        return Flux.range(from, to - from + 1).map(n -> Item.of(IntNode.valueOf(n), Origin.of("n", n)));
    }

    @Test
    void aContinuedFileLosesItsTornLastLineAndGetsTheNewLines() throws IOException {
        Path file = dir.resolve("out.ndjson");
        Files.writeString(file, "1\n2\n{\"torn\":");
        Recorded acks = new Recorded(true, file);

        StepVerifier.create(Outputs.ndjson(file).write(numbers(3, 4), acks))
                .expectNext(new SinkReport(2))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(Files.readString(file)).isEqualTo("1\n2\n3\n4\n");
    }

    @Test
    void aContinuedFileWithoutAnyWholeLineStartsEmpty() throws IOException {
        Path file = dir.resolve("out.ndjson");
        Files.writeString(file, "{\"torn");

        StepVerifier.create(Outputs.ndjson(file).write(numbers(1, 1), new Recorded(true, file)))
                .expectNext(new SinkReport(1))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(Files.readString(file)).isEqualTo("1\n");
    }

    @Test
    void aFirstResumableRunReplacesTheFile() throws IOException {
        Path file = dir.resolve("out.ndjson");
        Files.writeString(file, "old\n");

        StepVerifier.create(Outputs.ndjson(file).write(numbers(1, 2), new Recorded(false, file)))
                .expectNext(new SinkReport(2))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(Files.readString(file)).isEqualTo("1\n2\n");
    }

    @Test
    void itemsAreAcknowledgedOnlyOnceTheyAreInTheFileAndEachBatchIsCommitted() {
        Path file = dir.resolve("out.ndjson");
        Recorded acks = new Recorded(false, file);

        StepVerifier.create(Outputs.ndjson(file).write(numbers(1, 5000), acks))
                .expectNext(new SinkReport(5000))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(acks.violations).isEmpty();
        assertThat(acks.acknowledged).hasSize(5000);
        assertThat(acks.commits.get()).isBetween(5, 5001 / 2);
    }

    @Test
    void itemsAreAcknowledgedWithinTheSyncIntervalWhenTheFlowPauses() {
        Path file = dir.resolve("out.ndjson");
        Recorded acks = new Recorded(false, file);
        Flux<Item> paused = numbers(1, 3).concatWith(Flux.never());

        StepVerifier.create(Outputs.ndjson(file).write(paused, acks))
                .expectSubscription()
                .expectNoEvent(WriterSink.SYNC_EVERY.multipliedBy(5))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(acks.acknowledged).hasSize(3);
        assertThat(acks.violations).isEmpty();
    }

    @Test
    void aContinuedDeadLetterFileIsRepairedToo() throws IOException {
        Path file = dir.resolve("errors.ndjson");
        Files.writeString(file, "{\"reason\":\"parse\"}\n{\"rea");
        Item failed = Item.ofText("http://h/1", Origin.of("urls.txt", 9)).fail("fetch", Reason.HTTP_STATUS, "404");

        StepVerifier.create(Outputs.deadLetters(file).write(Flux.just(failed), new Recorded(true, file)))
                .expectNext(new SinkReport(1))
                .expectComplete()
                .verify(TIMEOUT);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"reason\":\"parse\"}");
        assertThat(lines.get(1)).contains("\"reason\":\"http_status\"");
    }

    @Test
    void aContinuedCsvFileKeepsItsOneHeader() throws IOException {
        Path file = dir.resolve("out.csv");
        Files.writeString(file, "id\n1\n2");
        Flux<Item> rows = Flux.range(3, 2).map(n -> Item.of(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", n),
                Origin.of("n", n)));

        StepVerifier.create(Outputs.csv(file).write(rows, new Recorded(true, file)))
                .expectNext(new SinkReport(2))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(Files.readString(file)).isEqualTo("id\n1\n3\n4\n");
    }

    @Test
    void aJsonArrayAndAnAtomicFileRefuseToBeContinued() {
        Path file = dir.resolve("out.json");

        StepVerifier.create(Outputs.jsonArray(file).write(numbers(1, 1), new Recorded(true, file)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SinkException.class)
                        .hasMessageContaining("format: json").hasMessageContaining("--state"))
                .verify(TIMEOUT);
        StepVerifier.create(Outputs.atomic(file, Outputs::ndjson).write(numbers(1, 1), new Recorded(true, file)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SinkException.class)
                        .hasMessageContaining("atomic: true").hasMessageContaining("--state"))
                .verify(TIMEOUT);
        assertThat(file).doesNotExist();
    }

    @Test
    void aFullDiskAbortsTheSinkWithoutAcknowledgingWhatWasNotSynced() {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full");
        Recorded acks = new Recorded(false, dir.resolve("unused"));

        StepVerifier.create(Outputs.ndjson(full).write(numbers(1, 10), acks))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SinkException.class)
                        .hasMessageContaining("cannot write /dev/full: No space left on device"))
                .verify(TIMEOUT);

        assertThat(acks.acknowledged).isEmpty();
    }
}
