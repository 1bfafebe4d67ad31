package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.Origin;
import dev.sluice.RunContext;
import io.netty.channel.DefaultEventLoop;
import io.netty.resolver.AddressResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The run's resolver: IP literals as they are, Reactor Netty's shared DNS resolver only for host names. */
class LazyDnsTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final LazyDns dns = new LazyDns();

    @AfterEach
    void close() {
        dns.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private InetSocketAddress resolve(String host, int port) throws Exception {
        return dns.getResolver(loop).resolve(InetSocketAddress.createUnresolved(host, port)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void literalsResolveToThemselvesWithoutADnsResolver() throws Exception {
        AddressResolver<InetSocketAddress> resolver = dns.getResolver(loop);
        InetSocketAddress v4 = resolve("127.0.0.1", 8080);
        InetSocketAddress v6 = resolve("::1", 443);
        List<InetSocketAddress> all = resolver.resolveAll(InetSocketAddress.createUnresolved("10.1.2.3", 80))
                .get(10, TimeUnit.SECONDS);
        InetSocketAddress given = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 81);

        assertThat(v4).isEqualTo(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 8080));
        assertThat(v4.isUnresolved()).isFalse();
        assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
        assertThat(v6.getPort()).isEqualTo(443);
        assertThat(all).extracting(InetSocketAddress::getHostString).containsExactly("10.1.2.3");
        assertThat(resolver.isResolved(given)).isTrue();
        assertThat(resolver.resolve(given).get(10, TimeUnit.SECONDS)).isSameAs(given);
        assertThat(dns.started()).as("DNS resolver made").isFalse();
    }

    @Test
    void hostNamesGoToTheSharedDnsResolver() throws Exception {
        InetSocketAddress local = resolve("localhost", 8080);

        assertThat(local.isUnresolved()).isFalse();
        assertThat(local.getAddress().isLoopbackAddress()).isTrue();
        assertThat(local.getPort()).isEqualTo(8080);
        assertThat(dns.started()).as("DNS resolver made").isTrue();
    }

    @Test
    void hostNamesFailOnceTheGroupIsClosed() {
        AddressResolver<InetSocketAddress> resolver = dns.getResolver(loop);
        dns.close();

        assertThatThrownBy(() -> resolver.resolve(InetSocketAddress.createUnresolved("localhost", 80))
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("the resolver is closed");
        assertThat(dns.started()).isFalse();
    }

    @Test
    void aRunFetchingFromLiteralAddressesNeverMakesADnsResolver() {
        server.respond("/a", 200, "{}");

        LazyDns dns = runsResolver(server.url("/a"));

        assertThat(dns.started()).as("DNS resolver made").isFalse();
        assertThat(server.requests()).containsExactly("/a");
    }

    @Test
    void runsFetchingFromAHostNameResolveItAndLeaveTheSharedResolverToTheNext() {
        server.respond("/b", 200, "{}");

        LazyDns first = runsResolver("http://localhost:" + server.port() + "/b");
        LazyDns second = runsResolver("http://localhost:" + server.port() + "/b");

        assertThat(first.started()).as("DNS resolver used").isTrue();
        assertThat(second.started()).as("DNS resolver used").isTrue();
        assertThat(server.requests()).as("the second run resolves after the first closed its group")
                .containsExactly("/b", "/b");
    }

    /** Fetches {@code url} in a run of its own and returns the run's resolver. */
    private static LazyDns runsResolver(String url) {
        FetchOptions options = FetchOptions.builder().build();
        RunContext run = new RunContext();
        SharedClient shared = SharedClient.of(run, options, 1);

        StepVerifier.create(Fetch.of(options)
                        .apply(Flux.just(Item.of(TextNode.valueOf(url), Origin.of("test", 1))))
                        .contextWrite(run::putInto))
                .assertNext(item -> assertThat(item.isFailure()).as("%s", item).isFalse())
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(run.close()).expectComplete().verify(WAIT);
        assertThat(shared.resolver()).isInstanceOf(LazyDns.class);
        return (LazyDns) shared.resolver();
    }
}
