package dev.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.ParseException;
import dev.sluice.Reason;
import dev.sluice.Stage;
import dev.sluice.parse.Parse;
import dev.sluice.parse.SplitOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Seeded fuzzing of the parsers (JSON, NDJSON, CSV, streamed split): hostile bodies become good items
 * or failed items with reason {@code parse} — the stream never errors, never hangs, and never loses
 * the input.
 */
class ParserFuzzTest {

    private static final String SEED_BODY = "{\"items\":[{\"id\":1,\"t\":\"a\\u00e9\"},{\"id\":2,\"n\":[1,2,{\"x\":null}]}],"
            + "\"next\":\"/p2\"}\n{\"id\":3}\nid,title\n1,\"a,b\"\n2,\"multi\nline\"\n";

    @TestFactory
    Stream<DynamicTest> mutatedBodiesBecomeItemsOrParseFailures() {
        List<Stage> stages = List.of(Parse.json(), Parse.ndjson(), Parse.csv(), Parse.split("/items"), Parse.split(""));
        return Stream.of(7L, 8L, 9L).map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            Random random = new Random(seed);
            for (int i = 0; i < 300; i++) {
                String body = LoaderFuzzTest.mutate(SEED_BODY, random);
                for (Stage stage : stages) {
                    parsesWithoutStreamErrors(stage, body);
                }
            }
        }));
    }

    private static void parsesWithoutStreamErrors(Stage stage, String body) {
        Item input = Item.of(TextNode.valueOf(body), Origin.of("fuzz", 1));

        StepVerifier.create(stage.apply(Flux.just(input)).collectList())
                .assertNext(items -> assertThat(items).allSatisfy(item -> {
                    assertThat(item.origin()).isEqualTo(input.origin());
                    item.failure().ifPresent(f -> assertThat(f.reason()).isEqualTo(Reason.PARSE));
                }))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void randomChunksOfRandomBytesEndInElementsOrAParseException() {
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = LoaderFuzzTest.mutate(SEED_BODY, random).getBytes(StandardCharsets.UTF_8);
            if (random.nextBoolean() && bytes.length > 0) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            Flux<ByteBuffer> chunks = Flux.fromIterable(chunk(bytes, 1 + random.nextInt(7)));

            Mono<Void> parsed = Parse.elements(chunks, "/items", SplitOptions.DEFAULTS, "fuzz")
                    .then()
                    .onErrorResume(ParseException.class, e -> Mono.empty());

            StepVerifier.create(parsed).expectComplete().verify(Duration.ofSeconds(5));
        }
    }

    private static List<ByteBuffer> chunk(byte[] bytes, int size) {
        List<ByteBuffer> out = new java.util.ArrayList<>();
        for (int i = 0; i < bytes.length; i += size) {
            out.add(ByteBuffer.wrap(bytes, i, Math.min(size, bytes.length - i)).slice());
        }
        return out;
    }
}
