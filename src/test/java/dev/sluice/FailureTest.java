package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureTest {

    @Test
    void deadLetterLineFollowsTheDesignFieldOrder() {
        Item item = Item.ofText("http://h/a", Origin.of("urls.txt", 3))
                .fail("fetch", Reason.HTTP_STATUS, "GET http://h/a returned 404 Not Found", 404, 1, "http://h/a");

        assertThat(item.failure().orElseThrow().toJson().toString()).isEqualTo(
                "{\"origin\":{\"source\":\"urls.txt\",\"line\":3},\"url\":\"http://h/a\",\"stage\":\"fetch\","
                        + "\"reason\":\"http_status\",\"status\":404,\"attempts\":1,"
                        + "\"error\":\"GET http://h/a returned 404 Not Found\",\"value\":\"http://h/a\"}");
    }

    @Test
    void credentialsInUrlsNeverReachDeadLettersOrLogs() {
        String url = "https://user:s3cret@api.example.com/a";
        Item item = Item.of(TextNode.valueOf(url), Origin.of("inline", 1))
                .fail("fetch", Reason.CONNECT, "GET " + url + " failed: refused", 0, 1, url);

        String line = item.failure().orElseThrow().toJson().toString();

        assertThat(line).doesNotContain("s3cret").contains("https://***@api.example.com/a");
        assertThat(item.toString()).doesNotContain("s3cret");
    }

    @Test
    void credentialsInUrlsThatCannotBeParsedAreMaskedToo() {
        // A space or an '@' in the password makes the URL invalid, yet the text still names the secret.
        for (String url : List.of("http://user:pa ss@127.0.0.1:9/x", "http://user:p@ss@127.0.0.1:9/x",
                "http://user:pa ss@127.0.0.1:9", "http://us er:se\tcret@h?q=1")) {
            Item item = Item.of(TextNode.valueOf(url), Origin.of("urls.txt", 1))
                    .fail("fetch", Reason.INVALID_URL, "invalid URL '" + url + "': illegal character", 0, 0, url);

            String line = item.failure().orElseThrow().toJson().toString();

            assertThat(line).as(url).doesNotContain("pa ss").doesNotContain("ss@").doesNotContain("cret")
                    .contains("http://***@");
        }
        assertThat(Failure.redactCredentials("GET http://h/a failed; mail ops@example.com"))
                .isEqualTo("GET http://h/a failed; mail ops@example.com");
    }

    @Test
    void secretLookingQueryParametersAreMaskedInDeadLetters() {
        String url = "http://127.0.0.1:9/missing.json?api_key=SEKRIT1&page=2&access_token=SEKRIT2#top";
        Item item = Item.of(TextNode.valueOf(url), Origin.of("inline", 1))
                .fail("fetch", Reason.HTTP_STATUS, "GET " + url + " returned 404 Not Found", 404, 1, url);

        String line = item.failure().orElseThrow().toJson().toString();

        assertThat(line).doesNotContain("SEKRIT")
                .contains("\"url\":\"http://127.0.0.1:9/missing.json?api_key=***&page=2&access_token=***#top\"")
                .contains("GET http://127.0.0.1:9/missing.json?api_key=***&page=2&access_token=***#top returned 404");
        assertThat(item.toString()).doesNotContain("SEKRIT");
        assertThat(Failure.redactCredentials("http://h/?q=rust&page=2")).isEqualTo("http://h/?q=rust&page=2");
    }
}
