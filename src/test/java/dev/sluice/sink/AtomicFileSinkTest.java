package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Sink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class AtomicFileSinkTest {

    @TempDir
    Path dir;

    private static Flux<Item> numbers(int n) {
        return Flux.range(1, n).map(i -> Item.of(IntNode.valueOf(i), Origin.of("t", i)));
    }

    private long files() throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            return all.count();
        }
    }

    @Test
    void completedRunReplacesTheTargetWholeAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.json");
        Files.writeString(target, "old");
        Sink sink = Outputs.atomic(target, Outputs::jsonArray);

        StepVerifier.create(sink.write(numbers(3))).assertNext(r -> assertThat(r.written()).isEqualTo(3)).verifyComplete();

        assertThat(Files.readString(target)).isEqualTo("[\n1,\n2,\n3\n]\n");
        assertThat(files()).isEqualTo(1);
    }

    @Test
    void failedRunLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.ndjson");
        Files.writeString(target, "old\n");
        Sink sink = Outputs.atomic(target, Outputs::ndjson);

        StepVerifier.create(sink.write(numbers(3).concatWith(Flux.error(new IllegalStateException("boom")))))
                .verifyErrorMessage("boom");

        assertThat(Files.readString(target)).isEqualTo("old\n");
        assertThat(files()).isEqualTo(1);
    }

    @Test
    void cancelledRunNeverReplacesTheTarget() throws IOException {
        Path target = dir.resolve("out.ndjson");
        Files.writeString(target, "old\n");
        Sink sink = Outputs.atomic(target, Outputs::ndjson);

        StepVerifier.create(sink.write(numbers(2).concatWith(Flux.never())))
                .expectSubscription()
                .thenCancel()
                .verify();

        assertThat(Files.readString(target)).isEqualTo("old\n");
    }
}
