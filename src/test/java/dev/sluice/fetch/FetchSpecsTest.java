package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ConfigException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fetch step as a pipeline file configures it, through its spec. */
class FetchSpecsTest {

    private static FetchOptions options(String yaml) {
        return ((Fetch) FetchSpecs.SPEC.parse(yaml)).options();
    }

    @Test
    void defaultsMatchTheJavaDefaults() {
        FetchOptions options = options("{}");

        assertThat(options.concurrency()).isEqualTo(FetchOptions.DEFAULTS.concurrency());
        assertThat(options.retry()).isEqualTo(RetryOptions.DEFAULTS);
        assertThat(options.rate()).isEqualTo(RateLimit.UNLIMITED);
        assertThat(options.maxBody()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void everySettingReachesTheOptions() {
        FetchOptions options = options("""
                concurrency: 32
                per_host: 4
                rate: 600/m
                burst: 10
                global_rate: 100/s
                timeout: 5s
                response_timeout: 2s
                connect_timeout: 1s
                pool_timeout: 3s
                retry: { attempts: 5, backoff: 100ms, max_backoff: 2s, statuses: [503], max_retry_after: 30s, non_idempotent: true }
                redirects: 0
                max_body: 64KB
                method: post
                headers: { accept: application/json }
                body: '{"id": "{id}"}'
                auth: { bearer: t0ken }
                """);

        assertThat(options.concurrency()).isEqualTo(32);
        assertThat(options.perHost()).isEqualTo(4);
        assertThat(options.rate()).isEqualTo(RateLimit.parse("600/m").withBurst(10));
        assertThat(options.globalRate()).isEqualTo(RateLimit.parse("100/s"));
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.poolTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.retry().attempts()).isEqualTo(5);
        assertThat(options.retry().backoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.retry().statuses()).isEqualTo(Set.of(503));
        assertThat(options.retry().maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.retry().retryNonIdempotent()).isTrue();
        assertThat(options.redirects()).isZero();
        assertThat(options.maxBody()).isEqualTo(64 * 1024);
        assertThat(options.method()).isEqualTo(Method.POST);
        assertThat(options.headers()).containsEntry("accept", "application/json");
        assertThat(options.body()).isEqualTo("{\"id\": \"{id}\"}");
        assertThat(options.auth()).isEqualTo(Auth.bearer("t0ken"));
    }

    @Test
    void badSettingsNameTheFieldAndTheAcceptedForms() {
        assertThatThrownBy(() -> options("""
                rate: fast
                per_host: -1
                max_body: lots
                retry: { atempts: 3, backoff: soon }
                auth: { bearer: x, user: y }
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(Object::toString).containsExactly(
                        "<step fetch>:1:7: /rate: rate must be a rate (" + RateLimit.ACCEPTED_FORMS + "), was 'fast'",
                        "<step fetch>:2:11: /per_host: per_host must be >= 1, was -1",
                        "<step fetch>:3:11: /max_body: max_body must be a size (bytes, or a number with KB, MB or GB, such as 10MB), was 'lots'",
                        "<step fetch>:4:10: /retry/atempts: unknown field 'atempts' (did you mean 'attempts'?); known: attempts, backoff, max_backoff, statuses, max_retry_after, non_idempotent",
                        "<step fetch>:4:31: /retry/backoff: backoff must be a duration such as 250ms, 10s, 2m or 1h, was 'soon'"));
        assertThatThrownBy(() -> options("auth: { bearer: x, user: y }"))
                .hasMessageContaining("/auth: auth takes either bearer, or user and password, not both");
    }

    @Test
    void secretsAreMaskedInTheEffectiveConfiguration() {
        java.util.List<dev.sluice.Problem> problems = new java.util.ArrayList<>();
        dev.sluice.spec.YamlDocument doc = dev.sluice.spec.YamlDocument.read("auth: { user: me, password: hunter2 }", "f", problems);

        String effective = FetchSpecs.SPEC.bind(doc.root(), doc, "", problems).config().toJson().toString();

        assertThat(effective).contains("\"user\":\"me\"").contains("\"password\":\"***\"").doesNotContain("hunter2");
    }
}
