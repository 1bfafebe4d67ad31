package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
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
}
