package dev.sluice.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Origin;
import dev.sluice.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Parsing a fetched body from its bytes gives exactly what {@code parse: json} gives for its text. */
class ParseJsonBytesTest {

    private static final String URL = "https://api.example.test/a.json";

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static Item fetched(byte[] body) {
        Metadata metadata = Metadata.of(Origin.of("urls.txt", 3)).withFetch(URL, 200, Map.of(), 1, Duration.ofMillis(5));
        return Item.of(TextNode.valueOf(new String(body, StandardCharsets.UTF_8)), metadata);
    }

    private static Item viaText(byte[] body) {
        return Parse.json().apply(Flux.just(fetched(body))).blockFirst();
    }

    @Test
    void bodiesGiveTheSameItemAsTheTextPathGoodOrFailed() {
        List<byte[]> bodies = List.of(
                "{\"id\": 7, \"tags\": [\"a\", \"b\"], \"score\": 50.5}".getBytes(StandardCharsets.UTF_8),
                "{\"name\": \"héllo wörld 😀\"}".getBytes(StandardCharsets.UTF_8),
                " [1, 2, 3] \r\n".getBytes(StandardCharsets.UTF_8),
                "\"just a string\"".getBytes(StandardCharsets.UTF_8),
                "{\n  \"a\": 1,\n  oops\n}".getBytes(StandardCharsets.UTF_8),
                "{\"a\": 1} trailing".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "  ".getBytes(StandardCharsets.UTF_8),
                bytes('{', '"', 'a', '"', ':', '"', 0xC3, '"', '}'),          // truncated sequence in a string
                bytes('{', '"', 'a', '"', ':', '"', 0xC0, 0x80, '"', '}'),     // overlong NUL
                bytes('{', '"', 'a', '"', ':', '"', 0xED, 0xA0, 0x80, '"', '}'), // encoded surrogate
                bytes(0xEF, 0xBB, 0xBF, '{', '}'),                            // byte-order mark
                bytes('{', 0, '}', 0),                                         // UTF-16LE-looking
                "[".repeat(1001).getBytes(StandardCharsets.UTF_8));

        for (byte[] body : bodies) {
            assertThat(Parse.json(body, fetched(body)))
                    .as("body %s", Arrays.toString(body))
                    .isEqualTo(viaText(body));
        }
    }

    @Test
    void aMalformedBodyFailsAtTheParseStageWithItsLineAndColumn() {
        byte[] body = "{\n  \"a\": 1,\n  oops\n}".getBytes(StandardCharsets.UTF_8);

        Item item = Parse.json(body, fetched(body));

        assertThat(item.failure()).hasValueSatisfying(f -> {
            assertThat(f.stage()).isEqualTo("parse");
            assertThat(f.reason()).isEqualTo(Reason.PARSE);
            assertThat(f.message()).startsWith("invalid JSON in " + URL + " at line 3, column 3: ");
        });
        assertThat(item.value()).isEqualTo(TextNode.valueOf("{\n  \"a\": 1,\n  oops\n}"));
    }

    @Test
    void aFailedItemPassesThroughUntouched() {
        Item failed = fetched(new byte[] {'{'}).fail("fetch", Reason.HTTP_STATUS, "GET x returned 500");

        assertThat(Parse.json(new byte[] {'{', '}'}, failed)).isSameAs(failed);
    }

    @Test
    void onlyBytesTheDecoderKeepsAsTheyAreCountAsPlainUtf8() {
        Random random = new Random(7);
        int plain = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                // mostly bytes that start or continue multi-byte sequences, some ASCII
                b[i] = (byte) (random.nextInt(4) == 0 ? 'a' + random.nextInt(26) : 0x80 + random.nextInt(0x80));
            }
            boolean roundTrips = Arrays.equals(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), b)
                    && (b[0] & 0xFF) < 0xEF;
            assertThat(StrictJson.plainUtf8(b)).as("bytes %s", Arrays.toString(b)).isEqualTo(roundTrips);
            plain += roundTrips ? 1 : 0;
        }
        assertThat(plain).isGreaterThan(1_000);
    }
}
