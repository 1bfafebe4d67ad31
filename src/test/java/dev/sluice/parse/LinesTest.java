package dev.sluice.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.RunReport;
import dev.sluice.SinkReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Text lines, and the line-based formats read from a body that arrives in chunks. */
class LinesTest {

    private static final Origin ORIGIN = Origin.of("bodies", 4);

    private static Item text(String body) {
        return Item.ofText(body, ORIGIN);
    }

    /** The body's UTF-8 bytes cut into chunks of {@code size} bytes, so characters and lines straddle chunks. */
    private static Flux<ByteBuffer> chunks(String body, int size) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Flux.range(0, (bytes.length + size - 1) / size)
                .map(i -> ByteBuffer.wrap(Arrays.copyOfRange(bytes, i * size, Math.min(bytes.length, (i + 1) * size))));
    }

    @Test
    void eachLineIsAStringWithCrlfDroppedAndNoEmptyLastLine() {
        StepVerifier.create(Parse.lines().apply(Flux.just(text("\uFEFFa\r\nb\r\n\r\n c\rd \n"))).map(i -> i.value().textValue()))
                .expectNext("a", "b", "", " c\rd ")
                .verifyComplete();
        StepVerifier.create(Parse.lines().apply(Flux.just(text("last\r"))).map(i -> i.value().textValue()))
                .expectNext("last")
                .verifyComplete();
    }

    @Test
    void anEmptyBodyIsFilteredAndLinesAreCountedAsExpanded() {
        Flux<Item> bodies = Flux.just(text(""), text("x\ny\nz"));

        StepVerifier.create(Pipeline.from(() -> bodies).then(Parse.lines())
                        .to(items -> items.count().map(SinkReport::new)).run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(3);
                    assertThat(report.filtered()).isEqualTo(1);
                    assertThat(report.expanded()).isEqualTo(2);
                    assertThat(report).extracting(RunReport::isBalanced).isEqualTo(true);
                })
                .verifyComplete();
    }

    @Test
    void aLineOverTheLimitFailsAloneKeepingItsFirstCharacters() {
        String longLine = "y".repeat(LineOptions.KEPT_PREFIX + 500);
        Item body = text("short\n" + longLine + "\nafter\n");

        StepVerifier.create(Parse.lines(new LineOptions(100)).apply(Flux.just(body)))
                .assertNext(item -> assertThat(item.value().textValue()).isEqualTo("short"))
                .assertNext(item -> {
                    assertThat(item.value().textValue()).hasSize(LineOptions.KEPT_PREFIX);
                    assertThat(item.failure()).get().satisfies(f -> {
                        assertThat(f.reason()).isEqualTo(Reason.PARSE);
                        assertThat(f.message()).isEqualTo("invalid text in bodies:4 at line 2: the record is longer than"
                                + " 100 characters; raise max_line_length");
                    });
                })
                .assertNext(item -> assertThat(item.value().textValue()).isEqualTo("after"))
                .verifyComplete();
    }

    @Test
    void charactersAndLinesSplitAcrossChunksReadWhole() {
        String body = "{\"name\":\"Zoë 😀\"}\n{\"name\":\"ß\"}\n";

        StepVerifier.create(Parse.ndjson(chunks(body, 3), text("ignored"), LineOptions.DEFAULTS)
                        .map(i -> i.value().path("name").textValue()))
                .expectNext("Zoë 😀", "ß")
                .verifyComplete();
    }

    @Test
    void aBadNdjsonLineFailsWithItsLineAndColumnWhileTheNextLinesFlow() {
        String body = "{\"n\":1}\n\n{\"n\":2,}\n{\"n\":3}";

        StepVerifier.create(Parse.ndjson(chunks(body, 5), text("ignored"), LineOptions.DEFAULTS))
                .assertNext(item -> assertThat(item.value().path("n")).isEqualTo(IntNode.valueOf(1)))
                .assertNext(item -> {
                    assertThat(item.value()).isEqualTo(TextNode.valueOf("{\"n\":2,}"));
                    assertThat(item.failure()).get().satisfies(f -> {
                        assertThat(f.reason()).isEqualTo(Reason.PARSE);
                        assertThat(f.stage()).isEqualTo("parse");
                        assertThat(f.message()).startsWith("invalid JSON in bodies:4 at line 3, column 8: ");
                    });
                })
                .assertNext(item -> assertThat(item.value().path("n")).isEqualTo(IntNode.valueOf(3)))
                .verifyComplete();
    }

    @Test
    void csvRecordsWithQuotedLineBreaksStraddleChunks() {
        String body = "id,note\n1,\"two\r\nlines, \"\"quoted\"\"\"\n2,x,extra\n3,\"\"\"\"\n";

        StepVerifier.create(Parse.csv(chunks(body, 4), text("ignored"), CsvOptions.DEFAULTS, LineOptions.DEFAULTS))
                .assertNext(item -> assertThat(item.value().path("note").textValue())
                        .isEqualTo("two\r\nlines, \"quoted\""))
                .assertNext(item -> assertThat(item.failure()).get().satisfies(f -> assertThat(f.message())
                        .isEqualTo("invalid CSV in bodies:4 at line 4: the row has 3 fields, the header has 2")))
                .assertNext(item -> assertThat(item.value().path("note").textValue()).isEqualTo("\""))
                .verifyComplete();
    }

    @Test
    void anOverlongCsvHeaderEndsTheBody() {
        StepVerifier.create(Parse.csv(CsvOptions.DEFAULTS, new LineOptions(5)).apply(Flux.just(text("abcdefgh\n1\n"))))
                .assertNext(item -> assertThat(item.failure()).get()
                        .satisfies(f -> assertThat(f.message()).contains("at line 1: the record is longer than 5")))
                .verifyComplete();
    }

    @Test
    void demandIsHonouredOneRecordAtATime() {
        StepVerifier.create(Parse.lines(chunks("a\nb\nc\n", 64), text("ignored"), LineOptions.DEFAULTS), 0)
                .expectSubscription()
                .thenRequest(1)
                .assertNext(item -> assertThat(item.value().textValue()).isEqualTo("a"))
                .thenRequest(2)
                .expectNextCount(2)
                .verifyComplete();
    }

    @Test
    void lineOptionsRejectALimitBelowOne() {
        assertThatThrownBy(() -> new LineOptions(0)).hasMessage("maxLength must be >= 1, was 0");
    }
}
