package dev.sluice.fetch;

import java.net.URI;
import java.util.List;

/**
 * TLS and HTTP versions of a fetch stage. TLS certificates and host names are verified unless a
 * host is named in {@code insecureHosts}; HTTP/1.1 is spoken unless HTTP/2 is asked for.
 *
 * @param insecureHosts hosts whose TLS certificate is not verified (self-signed test servers); host
 *     names or {@code *.domain} patterns, none by default. Every other host is verified.
 * @param http2 offer HTTP/2 to https hosts through ALPN, falling back to HTTP/1.1; default false
 * @param h2c speak HTTP/2 in cleartext to http hosts, with prior knowledge (the server must speak
 *     HTTP/2 from the first byte, as {@code curl --http2-prior-knowledge}); default false
 */
public record ProtocolOptions(List<String> insecureHosts, boolean http2, boolean h2c) {

    /** Verified TLS and HTTP/1.1 everywhere. */
    public static final ProtocolOptions DEFAULTS = new ProtocolOptions(List.of(), false, false);

    /**
     * Validates and copies the host patterns.
     *
     * @throws IllegalArgumentException when a pattern is blank or has a {@code *} other than a leading {@code *.}
     */
    public ProtocolOptions {
        insecureHosts = HostPolicy.patterns("insecureHosts", insecureHosts);
    }

    /**
     * Returns these options not verifying the TLS certificates of {@code hosts}.
     *
     * @param hosts host names or {@code *.domain} patterns
     * @return new options
     */
    public ProtocolOptions withInsecureHosts(List<String> hosts) {
        return new ProtocolOptions(hosts, http2, h2c);
    }

    /**
     * Returns these options offering HTTP/2 over TLS.
     *
     * @param offer whether to offer it
     * @return new options
     */
    public ProtocolOptions withHttp2(boolean offer) {
        return new ProtocolOptions(insecureHosts, offer, h2c);
    }

    /**
     * Returns these options speaking cleartext HTTP/2 to http hosts.
     *
     * @param speak whether to speak it
     * @return new options
     */
    public ProtocolOptions withH2c(boolean speak) {
        return new ProtocolOptions(insecureHosts, http2, speak);
    }

    boolean insecure(URI url) {
        String host = HostPolicy.host(url);
        return insecureHosts.stream().anyMatch(p -> HostPolicy.matches(p, host));
    }
}
