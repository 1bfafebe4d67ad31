package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** {@link Exchange#kept}: which response headers an item's metadata keeps, and how. */
class KeptHeadersTest {

    @Test
    void keepsTheListedHeadersInLowerCaseAndJoinsRepeatedOnes() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Content-Type", "application/json")
                .add("ETag", "\"v1\"")
                .add("Link", "<https://api.example/items?page=2>; rel=\"next\"")
                .add("link", "<https://api.example/items?page=9>; rel=\"last\"")
                .add("X-Request-Id", "abc")
                .add("Set-Cookie", "s=1");

        assertThat(Exchange.kept(headers)).containsOnly(
                java.util.Map.entry("content-type", "application/json"),
                java.util.Map.entry("etag", "\"v1\""),
                java.util.Map.entry("link", "<https://api.example/items?page=2>; rel=\"next\", "
                        + "<https://api.example/items?page=9>; rel=\"last\""));
    }

    @Test
    void everyListedHeaderCanBeKeptAndNoneIsInventedWhenAbsent() {
        HttpHeaders all = new DefaultHttpHeaders();
        for (String name : Exchange.KEPT_HEADERS) {
            all.add(name.toUpperCase(java.util.Locale.ROOT), name + "-value");
        }
        assertThat(Exchange.kept(all)).hasSize(Exchange.KEPT_HEADERS.size())
                .allSatisfy((name, value) -> assertThat(value).isEqualTo(name + "-value"));

        assertThat(Exchange.kept(new DefaultHttpHeaders().add("Server", "nginx"))).isEmpty();
    }

    @Test
    void theKeptMapIsImmutable() {
        java.util.Map<String, String> kept = Exchange.kept(new DefaultHttpHeaders().add("ETag", "e"));
        assertThat(kept).containsEntry("etag", "e");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> kept.put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
