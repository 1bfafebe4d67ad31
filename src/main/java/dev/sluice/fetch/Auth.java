package dev.sluice.fetch;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials a {@link Fetch} stage sends in the {@code Authorization} header, to the host of each
 * item's URL only: they are dropped when a redirect leads to another host. The secret never appears
 * in {@link #toString()}, failure messages or dead letters. Where the secret comes from (an
 * environment variable, say) is the caller's choice.
 */
public final class Auth {

    /** No credentials. */
    public static final Auth NONE = new Auth("none", "", "");

    private final String scheme;
    private final String user;
    private final String headerValue;

    private Auth(String scheme, String user, String headerValue) {
        this.scheme = scheme;
        this.user = user;
        this.headerValue = headerValue;
    }

    /**
     * Creates HTTP basic credentials.
     *
     * @param user the user name, without {@code :}
     * @param password the password
     * @return a new {@code Auth}
     */
    public static Auth basic(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("basic auth user must not contain ':'");
        }
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Auth("basic", user, "Basic " + token);
    }

    /**
     * Creates bearer-token credentials.
     *
     * @param token the token, not blank
     * @return a new {@code Auth}
     */
    public static Auth bearer(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("bearer token must not be blank");
        }
        return new Auth("bearer", "", "Bearer " + token);
    }

    /**
     * Tells whether there are credentials to send.
     *
     * @return false for {@link #NONE}
     */
    public boolean isPresent() {
        return !headerValue.isEmpty();
    }

    /** The value of the {@code Authorization} header; package-private so it does not leak by accident. */
    String headerValue() {
        return headerValue;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Auth other && headerValue.equals(other.headerValue) && scheme.equals(other.scheme);
    }

    @Override
    public int hashCode() {
        return headerValue.hashCode();
    }

    /** Names the scheme (and the basic user), never the secret. */
    @Override
    public String toString() {
        return switch (scheme) {
            case "basic" -> "Auth[basic " + user + ":****]";
            case "bearer" -> "Auth[bearer ****]";
            default -> "Auth[none]";
        };
    }
}
