package dev.sluice.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP proxies a fetch stage sends its requests through, one for {@code http} and one for
 * {@code https} URLs, except to the hosts in {@code noProxy}. Nothing is proxied by default
 * ({@link #NONE}); {@link #fromEnvironment(Map)} reads {@code HTTP_PROXY}, {@code HTTPS_PROXY} and
 * {@code NO_PROXY} the way curl does, but only when asked to, so a pipeline behaves the same
 * wherever it runs.
 *
 * @param http the proxy for {@code http} URLs, {@code http://[user:password@]host:port}, or null
 * @param https the proxy for {@code https} URLs (tunnelled with CONNECT), or null
 * @param noProxy hosts reached directly: {@code example.com} (or {@code .example.com}) matches the
 *     name and every name below it, an address matches itself, {@code *} matches every host
 */
public record ProxySettings(URI http, URI https, List<String> noProxy) {

    /** No proxy. */
    public static final ProxySettings NONE = new ProxySettings(null, null, List.of());

    /**
     * Validates the proxy URLs and copies the list.
     *
     * @throws IllegalArgumentException when a proxy URL is not {@code http://host:port}
     * @throws NullPointerException when {@code noProxy} or one of its entries is null
     */
    public ProxySettings {
        requireProxy(http);
        requireProxy(https);
        noProxy = Objects.requireNonNull(noProxy, "noProxy").stream()
                .map(h -> Objects.requireNonNull(h, "noProxy entry").strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .toList();
    }

    /**
     * Sends every request through one proxy.
     *
     * @param url the proxy, {@code http://[user:password@]host:port}
     * @return new settings, proxying both schemes
     * @throws IllegalArgumentException when {@code url} is not such a URL
     */
    public static ProxySettings of(String url) {
        URI proxy = parse(url);
        return new ProxySettings(proxy, proxy, List.of());
    }

    /**
     * Reads the proxies from environment variables as curl does: {@code http_proxy} (or
     * {@code HTTP_PROXY}) for http URLs, {@code https_proxy} (or {@code HTTPS_PROXY}) for https URLs, and
     * the comma-separated {@code no_proxy} (or {@code NO_PROXY}); a proxy without a scheme is
     * {@code http://}.
     *
     * @param env the environment, e.g. {@code System.getenv()}
     * @return new settings; {@link #NONE} when no variable is set
     * @throws IllegalArgumentException when a variable holds no usable proxy URL, naming it
     */
    public static ProxySettings fromEnvironment(Map<String, String> env) {
        URI http = fromVariable(env, "http_proxy");
        URI https = fromVariable(env, "https_proxy");
        String no = variable(env, "no_proxy");
        return new ProxySettings(http, https, no == null ? List.of() : Arrays.asList(no.split(",")));
    }

    /**
     * Returns these settings reaching {@code hosts} directly.
     *
     * @param hosts host names or addresses, see {@link #noProxy()}
     * @return new settings
     */
    public ProxySettings withNoProxy(List<String> hosts) {
        return new ProxySettings(http, https, hosts);
    }

    /**
     * Returns the proxy for {@code target}, or null when it is reached directly.
     *
     * @param target an absolute http(s) URL
     * @return the proxy URL, or null
     */
    URI proxyFor(URI target) {
        URI proxy = "https".equalsIgnoreCase(target.getScheme()) ? https : http;
        if (proxy == null) {
            return null;
        }
        String host = HostPolicy.host(target);
        for (String entry : noProxy) {
            String domain = entry.startsWith(".") ? entry.substring(1) : entry;
            if (entry.equals("*") || host.equals(domain) || host.endsWith("." + domain)) {
                return null;
            }
        }
        return proxy;
    }

    /** Shows the proxies without their passwords. */
    @Override
    public String toString() {
        return "ProxySettings[http=" + shown(http) + ", https=" + shown(https) + ", noProxy=" + noProxy + "]";
    }

    private static String shown(URI proxy) {
        return proxy == null ? "none" : "http://" + (proxy.getUserInfo() == null ? "" : "****@") + proxy.getHost()
                + ":" + proxy.getPort();
    }

    private static URI fromVariable(Map<String, String> env, String name) {
        String value = variable(env, name);
        if (value == null) {
            return null;
        }
        try {
            return parse(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static String variable(Map<String, String> env, String lower) {
        String value = env.get(lower);
        if (value == null || value.isBlank()) {
            value = env.get(lower.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static URI parse(String url) {
        Objects.requireNonNull(url, "proxy");
        URI proxy;
        try {
            proxy = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("proxy must be http://host:port, was '" + url + "'");
        }
        requireProxy(proxy);
        return proxy;
    }

    private static void requireProxy(URI proxy) {
        if (proxy != null && (!"http".equalsIgnoreCase(proxy.getScheme()) || proxy.getHost() == null
                || proxy.getPort() < 1)) {
            throw new IllegalArgumentException("proxy must be http://host:port, was '" + proxy.getScheme() + "://"
                    + proxy.getHost() + (proxy.getPort() < 0 ? "" : ":" + proxy.getPort()) + "'");
        }
    }
}
