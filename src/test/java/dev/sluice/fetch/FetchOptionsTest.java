package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FetchOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        FetchOptions d = FetchOptions.DEFAULTS;

        assertThat(d.concurrency()).isEqualTo(16);
        assertThat(d.perHost()).isEqualTo(8);
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.poolTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.retry()).isEqualTo(new RetryOptions(3, Duration.ofMillis(250), Duration.ofSeconds(10),
                Set.of(408, 425, 429, 500, 502, 503, 504), Duration.ofSeconds(60), false, true));
        assertThat(d.rate()).isEqualTo(RateLimit.UNLIMITED);
        assertThat(d.globalRate()).isEqualTo(RateLimit.UNLIMITED);
        assertThat(d.maxBody()).isEqualTo(10L * 1024 * 1024);
        assertThat(d.redirects()).isEqualTo(5);
        assertThat(d.method()).isEqualTo(Method.GET);
        assertThat(d.body()).isEmpty();
        assertThat(d.auth()).isEqualTo(Auth.NONE);
    }

    @Test
    void builderSeedsFromAValueAndLeavesItUnchanged() {
        FetchOptions base = FetchOptions.DEFAULTS;

        FetchOptions varied = base.toBuilder().perHost(2).maxBody(1024).redirects(0).method(Method.POST).build();

        assertThat(base).isEqualTo(FetchOptions.DEFAULTS);
        assertThat(varied).isEqualTo(FetchOptions.builder().perHost(2).maxBody(1024).redirects(0)
                .method(Method.POST).build());
        assertThat(varied.concurrency()).isEqualTo(16);
    }

    @Test
    void outOfRangeValuesAreRejectedNamingTheField() {
        FetchOptions.Builder b = FetchOptions.builder();

        assertThatThrownBy(() -> b.perHost(0).build()).hasMessage("perHost must be >= 1, was 0");
        assertThatThrownBy(() -> FetchOptions.builder().maxBody(-1).build()).hasMessage("maxBody must be >= 1, was -1");
        assertThatThrownBy(() -> FetchOptions.builder().redirects(-1).build())
                .hasMessage("redirects must be >= 0, was -1");
        assertThatThrownBy(() -> FetchOptions.builder().responseTimeout(Duration.ZERO).build())
                .hasMessage("responseTimeout must be > 0, was PT0S");
        assertThatThrownBy(() -> FetchOptions.builder().poolTimeout(Duration.ofSeconds(-1)).build())
                .hasMessage("poolTimeout must be > 0, was PT-1S");
        assertThatThrownBy(() -> RetryOptions.DEFAULTS.withAttempts(0))
                .hasMessage("retry attempts must be >= 1, was 0");
        assertThatThrownBy(() -> RetryOptions.DEFAULTS.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("retry maxBackoff must be >= backoff (PT2S), was PT1S");
        assertThatThrownBy(() -> RetryOptions.DEFAULTS.withStatuses(Set.of(600)))
                .hasMessage("retry statuses must be between 100 and 599, was 600");
        assertThatThrownBy(() -> RetryOptions.DEFAULTS.withMaxRetryAfter(Duration.ofSeconds(-1)))
                .hasMessage("retry maxRetryAfter must be >= 0, was PT-1S");
    }

    @Test
    void ratesParseInSecondsMinutesAndHours() {
        assertThat(RateLimit.parse("50/s")).isEqualTo(new RateLimit(50, Duration.ofSeconds(1), 1));
        assertThat(RateLimit.parse(" 600 / m ")).isEqualTo(new RateLimit(600, Duration.ofMinutes(1), 1));
        assertThat(RateLimit.parse("100/hour")).isEqualTo(new RateLimit(100, Duration.ofHours(1), 1));
        assertThat(RateLimit.parse("unlimited")).isEqualTo(RateLimit.UNLIMITED);
        assertThat(RateLimit.parse("2/s").withBurst(5)).hasToString("2/s burst 5");
    }

    @Test
    void badRatesAreRejectedNamingTheAcceptedForms() {
        String forms = "<n>/s, <n>/m or <n>/h with n >= 1 (e.g. 50/s), or unlimited";

        assertThatThrownBy(() -> RateLimit.parse("fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate must be " + forms + ", was 'fast'");
        assertThatThrownBy(() -> RateLimit.parse("0/s"))
                .hasMessage("rate must allow at least 1 request: " + forms + ", was '0/s'");
        assertThatThrownBy(() -> RateLimit.parse("5/x"))
                .hasMessage("rate unit must be s, m or h in " + forms + ", was 'x' in '5/x'");
        assertThatThrownBy(() -> RateLimit.parse("-5/s")).hasMessageContaining(forms);
        assertThatThrownBy(() -> RateLimit.parse("2/s").withBurst(0)).hasMessage("rate burst must be >= 1, was 0");
    }

    @Test
    void secretsStayOutOfToString() {
        FetchOptions options = FetchOptions.builder()
                .auth(Auth.bearer("s3cr3t-token"))
                .headers(Map.of("Authorization", "Bearer other-secret", "x-api-key", "k3y", "accept", "text/plain"))
                .build();

        assertThat(options.toString())
                .doesNotContain("s3cr3t-token", "other-secret", "k3y")
                .contains("accept=text/plain", "Auth[bearer ****]");
        assertThat(Auth.basic("alice", "pw0rd")).hasToString("Auth[basic alice:****]");
        assertThat(Fetch.get().auth(Auth.basic("alice", "pw0rd")).toString()).doesNotContain("pw0rd");
    }
}
