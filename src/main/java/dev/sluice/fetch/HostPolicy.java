package dev.sluice.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which hosts a fetch stage may connect to: a guard against server-side request forgery for
 * pipelines that follow URLs taken from responses. Off by default ({@link #OPEN}). A refused request
 * dead-letters with reason {@code blocked} and is not retried; redirects are checked too.
 *
 * @param allowHosts when not empty, the only host names requested; {@code *.example.com} matches
 *     every name below {@code example.com} (not {@code example.com} itself)
 * @param denyHosts host names never requested, same patterns; deny wins over allow
 * @param blockPrivate refuse loopback, link-local, private (RFC 1918, fc00::/7), unspecified and
 *     multicast addresses, checked after DNS resolution, so a public name resolving to 127.0.0.1 is
 *     refused too
 */
public record HostPolicy(List<String> allowHosts, List<String> denyHosts, boolean blockPrivate) {

    /** No restriction: every host and address may be requested. */
    public static final HostPolicy OPEN = new HostPolicy(List.of(), List.of(), false);

    /**
     * Validates and copies the patterns, lower-cased.
     *
     * @throws IllegalArgumentException when a pattern is blank or has a {@code *} other than a leading {@code *.}
     * @throws NullPointerException when a list or pattern is null
     */
    public HostPolicy {
        allowHosts = patterns("allowHosts", allowHosts);
        denyHosts = patterns("denyHosts", denyHosts);
    }

    /**
     * Returns this policy with the host names that may be requested.
     *
     * @param patterns host names or {@code *.domain} patterns; empty allows every host
     * @return a new {@code HostPolicy}
     */
    public HostPolicy allow(List<String> patterns) {
        return new HostPolicy(patterns, denyHosts, blockPrivate);
    }

    /**
     * Returns this policy with the host names that are never requested.
     *
     * @param patterns host names or {@code *.domain} patterns
     * @return a new {@code HostPolicy}
     */
    public HostPolicy deny(List<String> patterns) {
        return new HostPolicy(allowHosts, patterns, blockPrivate);
    }

    /**
     * Returns this policy refusing private, loopback, link-local, unspecified and multicast addresses.
     *
     * @param block whether to refuse them
     * @return a new {@code HostPolicy}
     */
    public HostPolicy blockPrivate(boolean block) {
        return new HostPolicy(allowHosts, denyHosts, block);
    }

    /**
     * Says why a URL's host is refused by name, or null when it is not.
     *
     * @param url an absolute URL
     * @return e.g. {@code "host evil.example is in deny_hosts (*.example)"}, or null
     */
    String refusal(URI url) {
        String host = host(url);
        for (String pattern : denyHosts) {
            if (matches(pattern, host)) {
                return "host " + host + " matches deny_hosts entry " + pattern;
            }
        }
        if (!allowHosts.isEmpty() && allowHosts.stream().noneMatch(p -> matches(p, host))) {
            return "host " + host + " is not in allow_hosts " + allowHosts;
        }
        return null;
    }

    /**
     * Names the kind of a refused address, or null when {@code address} may be connected to.
     *
     * @param address a resolved address
     * @return e.g. {@code "a loopback address"}, or null
     */
    static String privateKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        byte[] b = address.getAddress();
        if (address.isSiteLocalAddress() || b.length == 16 && (b[0] & 0xfe) == 0xfc) {
            return "a private address";
        }
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return "a shared (carrier-grade NAT) address";
        }
        if (b.length == 4 && b[0] == 0) {
            return "an address in 0.0.0.0/8";
        }
        return null;
    }

    static String host(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    static boolean matches(String pattern, String host) {
        return pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern);
    }

    static List<String> patterns(String field, List<String> patterns) {
        Objects.requireNonNull(patterns, field);
        List<String> out = patterns.stream().map(p -> Objects.requireNonNull(p, field + " entry"))
                .map(p -> p.strip().toLowerCase(Locale.ROOT)).toList();
        for (String p : out) {
            if (p.isEmpty() || p.indexOf('*', p.startsWith("*.") ? 1 : 0) >= 0 || p.equals("*.")) {
                throw new IllegalArgumentException(field + " entries must be host names or *.domain patterns, was '"
                        + p + "'");
            }
        }
        return out;
    }
}
