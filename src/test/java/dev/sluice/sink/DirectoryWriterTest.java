package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.SinkException;
import dev.sluice.SinkReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class DirectoryWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachItemGoesToItsOwnFileNamedByTheTemplate() throws IOException {
        Path out = dir.resolve("out");
        Flux<Item> items = Flux.just(item("{\"id\": 7, \"kind\": \"story\"}", 1),
                item("{\"id\": \"a-b\", \"kind\": \"comment\", \"by\": {\"name\": \"ann\"}}", 2));

        StepVerifier.create(Outputs.directory(out, "{kind}/{id}-{#}.json").write(items))
                .expectNext(new SinkReport(2))
                .verifyComplete();

        assertThat(Files.readString(out.resolve("story/7-1.json"))).isEqualTo("{\"id\":7,\"kind\":\"story\"}\n");
        assertThat(out.resolve("comment/a-b-2.json")).exists();
    }

    @Test
    void emptyRunStillCreatesTheDirectory() {
        Path out = dir.resolve("empty");

        StepVerifier.create(Outputs.directory(out, "{id}.json").write(Flux.empty()))
                .expectNext(new SinkReport(0))
                .verifyComplete();

        assertThat(out).isEmptyDirectory();
    }

    @Test
    void nameThatEscapesTheDirectoryAbortsTheRunNamingTheItem() {
        Path out = dir.resolve("out");
        Flux<Item> items = Flux.just(item("{\"id\": 1}", 1), item("{\"id\": \"../../etc/passwd\"}", 2));

        StepVerifier.create(Outputs.directory(out, "{id}").write(items))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessage("cannot write " + out + ": the name '../../etc/passwd' of item inline:2 is outside"
                                + " the directory; check the template '{id}'"));

        assertThat(out.resolve("1")).exists();
        assertThat(dir.resolve("etc")).doesNotExist();
    }

    @Test
    void absoluteNameAndNameOfTheDirectoryItselfAreRejected() {
        Path out = dir.resolve("out");

        StepVerifier.create(Outputs.directory(out, "{p}").write(Flux.just(item("{\"p\": \"/tmp/x\"}", 1))))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("is outside the directory"));
        StepVerifier.create(Outputs.directory(out, "{p}").write(Flux.just(item("{\"p\": \".\"}", 1))))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("is outside the directory"));
    }

    @Test
    void placeholderWithoutAUsableValueAbortsTheRun() {
        Path out = dir.resolve("out");

        StepVerifier.create(Outputs.directory(out, "{id}.json").write(Flux.just(item("{\"id\": {\"a\": 1}}", 4))))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessage("cannot write " + out + ": item inline:4 has an object at {id}; the name"
                                + " template '{id}.json' needs a string or number there"));
        StepVerifier.create(Outputs.directory(out, "{user.id}.json").write(Flux.just(item("{}", 5))))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("item inline:5 has no value at {user.id}"));
    }

    @Test
    void malformedTemplateIsRejectedAtAssembly() {
        assertThatThrownBy(() -> Outputs.directory(dir, "{id.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name template '{id.json' has an unclosed '{' at 0; write e.g. '{id}.json'");
        assertThatThrownBy(() -> Outputs.directory(dir, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name template must not be blank");
    }

    private static Item item(String json, long line) {
        try {
            return Item.of(MAPPER.readTree(json), Origin.of("inline", line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
