package dev.sluice.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunReport;
import dev.sluice.SinkReport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class CsvTest {

    private static final String URL = "https://api.example.test/export.csv";
    private static final Origin ORIGIN = Origin.of("urls.txt", 3);

    @Test
    void headerRowTurnsEachRowIntoAnObjectWithTheBodysMetadata() {
        Item body = fetched("id,name,city\r\n1,Ada,London\r\n2,Grace,\r\n");

        StepVerifier.create(Parse.csv().apply(Flux.just(body)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(json("{\"id\":\"1\",\"name\":\"Ada\",\"city\":\"London\"}"));
                    assertThat(item.metadata()).isEqualTo(body.metadata());
                })
                .assertNext(item -> assertThat(item.value())
                        .isEqualTo(json("{\"id\":\"2\",\"name\":\"Grace\",\"city\":\"\"}")))
                .verifyComplete();
    }

    @Test
    void quotedFieldsHoldDelimitersDoubledQuotesAndLineBreaks() {
        Item body = text("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\nplain\"quote,z\n");

        StepVerifier.create(Parse.csv().apply(Flux.just(body)).map(Item::value))
                .expectNext(json("{\"a\":\"x, y\",\"b\":\"say \\\"hi\\\"\"}"))
                .expectNext(json("{\"a\":\"two\\nlines\",\"b\":\"\"}"))
                .expectNext(json("{\"a\":\"plain\\\"quote\",\"b\":\"z\"}"))
                .verifyComplete();
    }

    @Test
    void withoutHeaderRowsAreArraysAndNumbersCanBeTyped() {
        CsvOptions options = CsvOptions.DEFAULTS.withHeader(false).withDelimiter(';').withTypedNumbers(true);
        Item body = text("\uFEFF1;-2.5e3;007;x\n\n0;1.0;;\"3\"\n");

        StepVerifier.create(Parse.csv(options).apply(Flux.just(body)).map(Item::value))
                .expectNext(json("[1,-2500.0,\"007\",\"x\"]"))
                .expectNext(json("[0,1.0,\"\",3]"))
                .verifyComplete();
    }

    @Test
    void malformedRowFailsAloneWithItsLineWhileTheOthersFlow() {
        Item body = fetched("id,name\n1,ok\n2,\"bad\"x\n3,\"multi\nline\"\n4,too,many\n5,fine\n");

        StepVerifier.create(Parse.csv().apply(Flux.just(body)))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"id\":\"1\",\"name\":\"ok\"}")))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.reason()).isEqualTo(Reason.PARSE);
                    assertThat(failure.value()).isEqualTo(TextNode.valueOf("2,\"bad\"x"));
                    assertThat(failure.url()).isEqualTo(URL);
                    assertThat(failure.message()).isEqualTo("invalid CSV in " + URL + " at line 3, column 9: "
                            + "Unexpected character ('x' (code 120)): Expected column separator character"
                            + " (',' (code 44)) or end-of-line");
                })
                .assertNext(item -> assertThat(item.value())
                        .isEqualTo(json("{\"id\":\"3\",\"name\":\"multi\\nline\"}")))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("invalid CSV in " + URL + " at line 6: the row has 3 fields, the header has 2"))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"id\":\"5\",\"name\":\"fine\"}")))
                .verifyComplete();
    }

    @Test
    void unclosedQuoteMakesTheRestOfTheBodyOneFailedRow() {
        Item body = text("a,b\n1,2\n3,\"open\n4,5\n");

        StepVerifier.create(Parse.csv().apply(Flux.just(body)))
                .assertNext(item -> assertThat(item.value()).isEqualTo(json("{\"a\":\"1\",\"b\":\"2\"}")))
                .assertNext(item -> {
                    assertThat(item.failure().orElseThrow().message())
                            .startsWith("invalid CSV in urls.txt:3 at line ")
                            .contains("Missing closing quote");
                    assertThat(item.value()).isEqualTo(TextNode.valueOf("3,\"open\n4,5\n"));
                })
                .verifyComplete();
    }

    @Test
    void duplicateHeaderNameFailsTheBody() {
        StepVerifier.create(Parse.csv().apply(Flux.just(text("a,b,a\n1,2,3\n"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .isEqualTo("invalid CSV in urls.txt:3 at line 1: duplicate column 'a' in the header"))
                .verifyComplete();
    }

    @Test
    void rowsAreAccountedAsTheyStream() {
        Flux<Item> bodies = Flux.just(text("a\n1\n2\n3\n"), text("a\n"), text(""), text("a\n\"x\"y\n2\n"));

        StepVerifier.create(Pipeline.from(() -> bodies)
                        .then(Parse.csv())
                        .to(items -> items.count().map(SinkReport::new))
                        .run())
                .assertNext(report -> assertThat(report)
                        .extracting(RunReport::inputs, RunReport::expanded, RunReport::outputs, RunReport::filtered,
                                RunReport::deadLettered, RunReport::isBalanced)
                        .containsExactly(4L, 3L, 4L, 2L, 1L, true))
                .verifyComplete();
    }

    @Test
    void rowsAreProducedOnDemand() {
        StringBuilder body = new StringBuilder("n\n");
        for (int i = 0; i < 10_000; i++) {
            body.append(i).append('\n');
        }

        StepVerifier.create(Parse.csv().apply(Flux.just(text(body.toString()))), 0)
                .thenRequest(2)
                .expectNextCount(2)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void optionsRejectAmbiguousCharacters() {
        assertThatThrownBy(() -> CsvOptions.DEFAULTS.withQuote(','))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delimiter and quote must differ, both were ','");
        assertThatThrownBy(() -> CsvOptions.DEFAULTS.withDelimiter('\n'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delimiter must not be a line break, was \\n");
    }

    private static Item text(String body) {
        return Item.ofText(body, ORIGIN);
    }

    private static Item fetched(String body) {
        return Bodies.fetched(body, ORIGIN, URL, "text/csv", Duration.ofMillis(5));
    }

    private static JsonNode json(String text) {
        return Bodies.json(text);
    }
}
