package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.LocalHttpServer.Respond;
import dev.sluice.Origin;
import dev.sluice.Reason;
import dev.sluice.RunContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** allow_hosts, deny_hosts and block_private_addresses: the guard against request forgery. */
class HostPolicyTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final HostPolicy BLOCK_PRIVATE = HostPolicy.OPEN.blockPrivate(true);

    private static Item item(String url) {
        return Item.of(TextNode.valueOf(url), Origin.of("test", 1));
    }

    private static String viaLocalhost(String path) {
        return "http://localhost:" + server.port() + path;
    }

    private static Failure fetchFails(Fetch fetch, String url) {
        Failure[] out = new Failure[1];
        StepVerifier.create(fetch.apply(Flux.just(item(url))))
                .assertNext(item -> out[0] = item.failure().orElseThrow())
                .expectComplete()
                .verify(WAIT);
        return out[0];
    }

    @Test
    void loopbackIsFetchedWhenTheGuardIsOff() {
        server.respond("/open", 200, "ok");

        StepVerifier.create(Fetch.get().apply(Flux.just(item(server.url("/open")))))
                .assertNext(item -> assertThat(item.isFailure()).isFalse())
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void loopbackLiteralIsBlockedWithoutARequest() {
        server.respond("/secret", 200, "internal");
        String url = server.url("/secret");

        Failure failure = fetchFails(Fetch.get().hosts(BLOCK_PRIVATE), url);

        assertThat(failure.reason()).isEqualTo(Reason.BLOCKED);
        assertThat(failure.attempts()).isEqualTo(1);
        assertThat(failure.message()).isEqualTo("GET " + url + " failed: blocked (127.0.0.1 is a loopback address, "
                + "refused by block_private_addresses)");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void nameResolvingToLoopbackIsBlockedAfterResolution() {
        server.respond("/secret", 200, "internal");

        Failure failure = fetchFails(Fetch.get().hosts(BLOCK_PRIVATE), viaLocalhost("/secret"));

        assertThat(failure.reason()).isEqualTo(Reason.BLOCKED);
        assertThat(failure.message()).contains("localhost resolves to ").contains("a loopback address")
                .contains("block_private_addresses");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void redirectToADeniedHostIsBlocked() {
        server.route("/hop", new Respond(302, Map.of("location", viaLocalhost("/secret")), ""));
        server.respond("/secret", 200, "internal");

        Failure failure = fetchFails(Fetch.get().hosts(HostPolicy.OPEN.deny(List.of("localhost"))),
                server.url("/hop"));

        assertThat(failure.reason()).isEqualTo(Reason.BLOCKED);
        assertThat(failure.message()).isEqualTo("GET " + viaLocalhost("/secret")
                + " refused: host localhost matches deny_hosts entry localhost");
        assertThat(server.requests()).containsExactly("/hop");
    }

    @Test
    void deniedNameIsBlockedWithoutARequest() {
        Failure failure = fetchFails(Fetch.get().hosts(HostPolicy.OPEN.deny(List.of("*.example.com", "LOCALHOST"))),
                viaLocalhost("/x"));

        assertThat(failure.reason()).isEqualTo(Reason.BLOCKED);
        assertThat(failure.message()).endsWith("refused: host localhost matches deny_hosts entry localhost");
        assertThat(failure.attempts()).isEqualTo(1);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void hostOutsideAllowHostsIsBlockedAndAllowedHostIsFetched() {
        server.respond("/ok", 200, "ok");
        Fetch fetch = Fetch.get().hosts(HostPolicy.OPEN.allow(List.of("127.0.0.1", "*.example.org")));

        Failure failure = fetchFails(fetch, viaLocalhost("/ok"));
        assertThat(failure.message()).endsWith("refused: host localhost is not in allow_hosts [127.0.0.1, *.example.org]");
        StepVerifier.create(fetch.apply(Flux.just(item(server.url("/ok")))))
                .assertNext(item -> assertThat(item.isFailure()).isFalse())
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void urlsRewrittenByTheRunReachTheirStubDespiteTheGuard() {
        server.respond("/items/1", 200, "stubbed");
        RunContext run = new RunContext().rewriteUrls(u -> URI.create(server.url(u.getPath())));

        StepVerifier.create(Fetch.get().hosts(BLOCK_PRIVATE).apply(Flux.just(item("http://api.example.test/items/1")))
                        .contextWrite(run::putInto))
                .assertNext(item -> assertThat(item.value().asText()).isEqualTo("stubbed"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void nextPageOnADeniedHostIsBlocked() {
        server.route("/pages/1", new Respond(200, Map.of("link", "<" + viaLocalhost("/pages/2") + ">; rel=\"next\""),
                "[1]"));

        List<Item> pages = new java.util.ArrayList<>();
        StepVerifier.create(Fetch.get().hosts(HostPolicy.OPEN.deny(List.of("localhost")))
                        .paginate(Pagination.link()).apply(Flux.just(item(server.url("/pages/1")))))
                .recordWith(() -> pages)
                .expectNextCount(2)
                .expectComplete()
                .verify(WAIT);

        assertThat(pages.get(0).value().asText()).isEqualTo("[1]");
        assertThat(pages.get(1).failure().orElseThrow().reason()).isEqualTo(Reason.BLOCKED);
        assertThat(server.requests()).containsExactly("/pages/1");
    }

    @Test
    void wildcardsMatchNamesBelowTheDomainOnly() {
        HostPolicy deny = HostPolicy.OPEN.deny(List.of("*.example.com"));

        assertThat(deny.refusal(URI.create("http://a.b.example.com/"))).isNotNull();
        assertThat(deny.refusal(URI.create("http://API.Example.COM./"))).isNotNull();
        assertThat(deny.refusal(URI.create("http://example.com/"))).isNull();
        assertThat(deny.refusal(URI.create("http://notexample.com/"))).isNull();
    }

    @Test
    void privateRangesAreNamedAndPublicOnesPass() throws UnknownHostException {
        Map<String, String> kinds = Map.of(
                "10.1.2.3", "a private address",
                "172.16.0.1", "a private address",
                "192.168.1.1", "a private address",
                "169.254.169.254", "a link-local address",
                "fd00::1", "a private address",
                "fe80::1", "a link-local address",
                "::1", "a loopback address",
                "0.0.0.0", "the unspecified address",
                "224.0.0.1", "a multicast address");
        for (Map.Entry<String, String> e : kinds.entrySet()) {
            assertThat(HostPolicy.privateKind(InetAddress.getByName(e.getKey()))).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(HostPolicy.privateKind(InetAddress.getByName("93.184.216.34"))).isNull();
        assertThat(HostPolicy.privateKind(InetAddress.getByName("2606:4700::1"))).isNull();
    }

    @Test
    void malformedPatternsAreRejected() {
        assertThatThrownBy(() -> HostPolicy.OPEN.allow(List.of("api.*.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allowHosts entries must be host names or *.domain patterns, was 'api.*.com'");
        assertThatThrownBy(() -> HostPolicy.OPEN.deny(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pipelineFileSettingsReachThePolicy() {
        Fetch fetch = (Fetch) FetchSpecs.SPEC.parse(
                "{ allow_hosts: ['*.example.com'], deny_hosts: [admin.example.com], block_private_addresses: true }");

        assertThat(fetch.options().hosts()).isEqualTo(
                new HostPolicy(List.of("*.example.com"), List.of("admin.example.com"), true));
        assertThat(((Fetch) FetchSpecs.SPEC.parse("{}")).options().hosts()).isEqualTo(HostPolicy.OPEN);
    }
}
