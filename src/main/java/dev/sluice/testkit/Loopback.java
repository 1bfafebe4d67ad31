package dev.sluice.testkit;

import java.net.URI;

/**
 * Addresses an original URL on a loopback recorder or replay server, keeping its scheme and
 * authority in the path: {@code https://api.example.com/v1?q=1} becomes
 * {@code http://127.0.0.1:PORT/https/api.example.com/v1?q=1}, so nothing about the original is lost.
 */
final class Loopback {

    private Loopback() {}

    static URI encode(int port, URI original) {
        String path = original.getRawPath() == null || original.getRawPath().isEmpty() ? "/" : original.getRawPath();
        String query = original.getRawQuery() == null ? "" : "?" + original.getRawQuery();
        return URI.create("http://127.0.0.1:" + port + "/" + original.getScheme() + "/" + original.getRawAuthority()
                + path + query);
    }

    /** Returns the original URL of a request to {@code /scheme/authority/path?query}, or null when malformed. */
    static URI decode(String uri) {
        String[] parts = uri.split("/", 4);
        if (parts.length < 3 || !(parts[1].equals("http") || parts[1].equals("https")) || parts[2].isEmpty()) {
            return null;
        }
        return URI.create(parts[1] + "://" + parts[2] + "/" + (parts.length == 4 ? parts[3] : ""));
    }
}
