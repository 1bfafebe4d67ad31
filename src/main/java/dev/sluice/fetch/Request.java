package dev.sluice.fetch;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * One request of an attempt: the item's own, or a redirect hop.
 *
 * @param method the method
 * @param uri the URL
 * @param text the URL as given (the item's text for the first request)
 * @param body the rendered body, or null for none
 * @param contentType the body's content type when the stage chose one (a JSON body), or null
 * @param headers headers rendered from the item (header templates), sent after the stage's own
 * @param sameOrigin whether the URL has the scheme, host and port of the item's URL, so credentials
 *     may be sent
 */
record Request(Method method, URI uri, String text, String body, String contentType, Map<String, String> headers,
        boolean sameOrigin) {

    /** The item's own request. */
    static Request first(Method method, FetchTarget.Url url, String body) {
        return new Request(method, url.uri(), url.text(), body, null, Map.of(), true);
    }

    /** The item's own request with a body of the given content type. */
    static Request first(Method method, FetchTarget.Url url, String body, String contentType) {
        return new Request(method, url.uri(), url.text(), body, contentType, Map.of(), true);
    }

    /** This request with headers rendered from the item. */
    Request withHeaders(Map<String, String> rendered) {
        return new Request(method, uri, text, body, contentType, Map.copyOf(rendered), sameOrigin);
    }

    /** This request sent to another page URL of the same collection. */
    Request toPage(URI page) {
        return new Request(method, page, page.toString(), body, contentType, headers,
                hostKey(page).equals(hostKey(uri)));
    }

    /**
     * The request a redirect leads to: 303 turns into a GET without body, and so do 301 and 302 after
     * a POST (as browsers do); 307 and 308 keep method and body.
     */
    Request redirectTo(URI next, int status, Request origin) {
        boolean toGet = status == 303 || ((status == 301 || status == 302) && method == Method.POST);
        return new Request(toGet ? Method.GET : method, next, next.toString(), toGet ? null : body,
                toGet ? null : contentType, headers, hostKey(next).equals(hostKey(origin.uri())));
    }

    /** {@code scheme://host:port}, lower case, with the default port filled in: the pool and rate key. */
    static String hostKey(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
