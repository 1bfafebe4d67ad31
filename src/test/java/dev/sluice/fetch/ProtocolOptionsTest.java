package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Reason;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** insecure_hosts, http2 and h2c against loopback TLS and cleartext HTTP/2 servers. */
class ProtocolOptionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static SelfSignedCertificate certificate;
    private static DisposableServer tls;
    private static DisposableServer tlsH2;
    private static DisposableServer h2c;

    @BeforeAll
    static void startServers() throws CertificateException {
        certificate = new SelfSignedCertificate("localhost");
        tls = answeringWithProtocol(HttpServer.create()
                .secure(s -> s.sslContext(Http11SslContextSpec.forServer(certificate.certificate(), certificate.privateKey()))));
        tlsH2 = answeringWithProtocol(HttpServer.create().protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                .secure(s -> s.sslContext(Http2SslContextSpec.forServer(certificate.certificate(), certificate.privateKey()))));
        h2c = answeringWithProtocol(HttpServer.create().protocol(HttpProtocol.H2C, HttpProtocol.HTTP11));
    }

    @AfterAll
    static void stopServers() {
        tls.disposeNow();
        tlsH2.disposeNow();
        h2c.disposeNow();
        certificate.delete();
    }

    /** Every answer names the protocol the server saw, e.g. {@code HTTP/2.0}. */
    private static DisposableServer answeringWithProtocol(HttpServer server) {
        return server.host("127.0.0.1").port(0)
                .handle((request, response) -> response.sendString(Mono.just(request.protocol())))
                .bindNow();
    }

    private static Item item(String url) {
        return Item.of(TextNode.valueOf(url), Origin.of("test", 1));
    }

    private static String fetched(Fetch fetch, String url) {
        String[] out = new String[1];
        StepVerifier.create(fetch.retry(RetryOptions.NONE).apply(Flux.just(item(url))))
                .assertNext(item -> {
                    assertThat(item.failure()).isEmpty();
                    out[0] = item.value().asText();
                })
                .expectComplete()
                .verify(WAIT);
        return out[0];
    }

    private static Failure failed(Fetch fetch, String url) {
        Failure[] out = new Failure[1];
        StepVerifier.create(fetch.retry(RetryOptions.NONE).apply(Flux.just(item(url))))
                .assertNext(item -> out[0] = item.failure().orElseThrow())
                .expectComplete()
                .verify(WAIT);
        return out[0];
    }

    private static String https(DisposableServer server) {
        return "https://127.0.0.1:" + server.port() + "/";
    }

    @Test
    void selfSignedCertificateIsRefusedByDefault() {
        Failure failure = failed(Fetch.get(), https(tls));

        assertThat(failure.reason()).isEqualTo(Reason.CONNECT);
        assertThat(failure.message()).startsWith("GET " + https(tls) + " failed: TLS handshake failed");
    }

    @Test
    void insecureHostsTurnVerificationOffForThoseHostsOnly() {
        ProtocolOptions insecure = ProtocolOptions.DEFAULTS.withInsecureHosts(List.of("127.0.0.1"));
        ProtocolOptions otherHost = ProtocolOptions.DEFAULTS.withInsecureHosts(List.of("*.example.com"));

        assertThat(fetched(Fetch.get().protocols(insecure), https(tls))).isEqualTo("HTTP/1.1");
        assertThat(failed(Fetch.get().protocols(otherHost), https(tls)).message()).contains("TLS handshake failed");
    }

    @Test
    void http2IsNegotiatedOverTlsAndHttp11Remains() {
        ProtocolOptions insecure = ProtocolOptions.DEFAULTS.withInsecureHosts(List.of("127.0.0.1"));

        assertThat(fetched(Fetch.get().protocols(insecure.withHttp2(true)), https(tlsH2))).isEqualTo("HTTP/2.0");
        assertThat(fetched(Fetch.get().protocols(insecure), https(tlsH2))).isEqualTo("HTTP/1.1");
        assertThat(fetched(Fetch.get().protocols(insecure.withHttp2(true)), https(tls))).isEqualTo("HTTP/1.1");
    }

    @Test
    void h2cSpeaksCleartextHttp2OnlyWhenAsked() {
        String url = "http://127.0.0.1:" + h2c.port() + "/";

        assertThat(fetched(Fetch.get().protocols(ProtocolOptions.DEFAULTS.withH2c(true)), url)).isEqualTo("HTTP/2.0");
        assertThat(fetched(Fetch.get(), url)).isEqualTo("HTTP/1.1");
    }

    @Test
    void pipelineFileSettingsReachTheOptions() {
        FetchOptions options = ((Fetch) FetchSpecs.SPEC.parse(
                "{ insecure_hosts: [test.local], http2: true, h2c: true }")).options();

        assertThat(options.protocols()).isEqualTo(new ProtocolOptions(List.of("test.local"), true, true));
        assertThat(((Fetch) FetchSpecs.SPEC.parse("{}")).options().protocols()).isEqualTo(ProtocolOptions.DEFAULTS);
    }
}
