package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.ConfigException;
import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.Origin;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** proxy and no_proxy: requests through a loopback forward proxy. */
class ProxySettingsTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ForwardProxy proxy;

    @BeforeAll
    static void startProxy() {
        proxy = ForwardProxy.start();
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    private static Item item(String url) {
        return Item.of(TextNode.valueOf(url), Origin.of("test", 1));
    }

    @Test
    void requestGoesThroughTheProxy() {
        int before = proxy.seen().size();
        Fetch fetch = Fetch.get().proxy(ProxySettings.of(proxy.url()));

        // the name does not resolve: only the proxy can answer (plain http is tunnelled with CONNECT too)
        StepVerifier.create(fetch.apply(Flux.just(item("http://origin.invalid/items?page=2"))))
                .assertNext(item -> {
                    assertThat(item.isFailure()).as("%s", item.failure()).isFalse();
                    assertThat(item.value().asText()).startsWith("via proxy: ");
                    assertThat(item.metadata().url()).isEqualTo("http://origin.invalid/items?page=2");
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(proxy.seen().subList(before, proxy.seen().size()))
                .anySatisfy(line -> assertThat(line).contains("origin.invalid"));
    }

    @Test
    void blockPrivateChecksTheTargetNotTheProxy() {
        Fetch fetch = Fetch.get().proxy(ProxySettings.of(proxy.url())).hosts(HostPolicy.OPEN.blockPrivate(true));

        // the proxy is on loopback, but it is configured, not taken from a response
        StepVerifier.create(fetch.apply(Flux.just(item("http://93.184.216.34/public"))))
                .assertNext(item -> assertThat(item.value().asText()).isEqualTo("via proxy: GET /public HTTP/1.1"))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(fetch.apply(Flux.just(item("http://localhost:1/internal"))))
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("GET http://localhost:1/internal failed: blocked (localhost resolves to ")
                        .endsWith("a loopback address, refused by block_private_addresses)"))
                .expectComplete()
                .verify(WAIT);
        assertThat(proxy.seen()).noneMatch(line -> line.contains("/internal") || line.contains("localhost"));
    }

    @Test
    void noProxyHostIsReachedDirectly() {
        server.respond("/direct", 200, "from the origin");
        int before = proxy.seen().size();
        Fetch fetch = Fetch.get().proxy(ProxySettings.of(proxy.url()).withNoProxy(List.of("127.0.0.1")));

        StepVerifier.create(fetch.apply(Flux.just(item(server.url("/direct")))))
                .assertNext(item -> assertThat(item.value().asText()).isEqualTo("from the origin"))
                .expectComplete()
                .verify(WAIT);
        assertThat(proxy.seen()).hasSize(before);
        assertThat(server.requests()).containsExactly("/direct");
    }

    @Test
    void environmentIsReadAsCurlDoes() {
        ProxySettings env = ProxySettings.fromEnvironment(Map.of(
                "HTTPS_PROXY", "proxy.internal:3128",
                "no_proxy", "example.com, .svc.local,10.0.0.7"));

        assertThat(env.http()).isNull();
        assertThat(env.https()).isEqualTo(URI.create("http://proxy.internal:3128"));
        assertThat(env.proxyFor(URI.create("https://api.github.com/x"))).isEqualTo(env.https());
        assertThat(env.proxyFor(URI.create("http://api.github.com/x"))).isNull();
        assertThat(env.proxyFor(URI.create("https://example.com/"))).isNull();
        assertThat(env.proxyFor(URI.create("https://www.example.com/"))).isNull();
        assertThat(env.proxyFor(URI.create("https://notexample.com/"))).isNotNull();
        assertThat(env.proxyFor(URI.create("https://db.svc.local/"))).isNull();
        assertThat(env.proxyFor(URI.create("https://10.0.0.7/"))).isNull();
        assertThat(ProxySettings.fromEnvironment(Map.of())).isEqualTo(ProxySettings.NONE);
    }

    @Test
    void passwordsAreNotShownAndBadProxiesAreRejected() {
        assertThat(ProxySettings.of("http://me:s3cret@proxy:8080")).hasToString(
                "ProxySettings[http=http://****@proxy:8080, https=http://****@proxy:8080, noProxy=[]]");
        assertThatThrownBy(() -> ProxySettings.of("socks5://proxy:1080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("proxy must be http://host:port, was 'socks5://proxy:1080'");
        assertThatThrownBy(() -> ProxySettings.fromEnvironment(Map.of("http_proxy", "http://proxy")))
                .hasMessage("http_proxy: proxy must be http://host:port, was 'http://proxy'");
    }

    @Test
    void pipelineFileSettingsReachTheOptions() {
        FetchOptions options = ((Fetch) FetchSpecs.SPEC.parse(
                "{ proxy: 'http://proxy:3128', no_proxy: [localhost] }")).options();

        assertThat(options.proxy()).isEqualTo(ProxySettings.of("http://proxy:3128").withNoProxy(List.of("localhost")));
        assertThat(((Fetch) FetchSpecs.SPEC.parse("{}")).options().proxy()).isEqualTo(ProxySettings.NONE);
        assertThatThrownBy(() -> FetchSpecs.SPEC.parse("{ no_proxy: [localhost] }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no_proxy applies to proxy, which is not set");
    }
}
