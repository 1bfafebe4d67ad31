package dev.sluice.fetch;

import dev.sluice.Reason;
import io.netty.channel.ConnectTimeoutException;
import io.netty.resolver.dns.DnsNameResolverException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * What went wrong in an exchange that ended without a response: the {@link Reason} and a short
 * phrase for the message.
 *
 * @param reason the reason recorded in the failure
 * @param what what happened, e.g. {@code "connection refused"}
 */
record TransportError(Reason reason, String what) {

    /** What a failed wait for a pooled connection is called. */
    static final String NO_CONNECTION = "no pooled connection available";

    /** What an error that says nothing known is called. */
    static final String UNEXPECTED = "unexpected error";

    private static final Logger LOG = LoggerFactory.getLogger(TransportError.class);

    /** The types of unexpected errors logged so far: each is logged once, with its stack trace. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    /**
     * Classifies an exchange error by the first exception in its cause chain that says something
     * known. Errors that say nothing known become {@link Reason#RESET}: by then a connection was most
     * likely open and the exchange broke off (decoder errors, channel errors, ...). They are retried,
     * since losing an input to a transient failure nobody classified costs more than retrying a bug;
     * the first of each type is logged as a warning with its stack trace, so a bug is seen.
     *
     * @param error the error of the exchange
     * @return the classification, never null
     */
    static TransportError classify(Throwable error) {
        for (Throwable e = Exceptions.unwrap(error); e != null; e = e.getCause() == e ? null : e.getCause()) {
            TransportError known = known(e);
            if (known != null) {
                return known;
            }
        }
        Throwable unknown = Exceptions.unwrap(error);
        if (LOGGED.add(unknown.getClass().getName())) {
            // A bug (ours or a library's) would otherwise hide among network failures, as a
            // BlockHound error inside Netty's allocator once did (dev.sluice.LibraryLockWaits).
            LOG.warn("an exchange failed with an error that names no known network failure; it is dead-lettered "
                    + "as a reset, retried like one, and logged once per type: {}", unknown.toString(), unknown);
        }
        return new TransportError(Reason.RESET, UNEXPECTED);
    }

    /**
     * Describes the error for a message: its own message, or its type when it has none.
     *
     * @param error the error
     * @return e.g. {@code "Connection refused: /127.0.0.1:8080"}
     */
    static String detail(Throwable error) {
        Throwable e = Exceptions.unwrap(error);
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static TransportError known(Throwable e) {
        if (e instanceof AddressGuard.Blocked) {
            return new TransportError(Reason.BLOCKED, "blocked");
        }
        // before TimeoutException: reactor-pool's PoolAcquireTimeoutException is one
        if (e.getClass().getSimpleName().startsWith("PoolAcquire")) {
            return new TransportError(Reason.CONNECT, NO_CONNECTION);
        }
        if (e instanceof ConnectTimeoutException) {
            return new TransportError(Reason.CONNECT, "connect timed out");
        }
        if (e instanceof UnknownHostException || e instanceof DnsNameResolverException) {
            return new TransportError(Reason.CONNECT, "unknown host");
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new TransportError(Reason.CONNECT, "connection refused");
        }
        if (e instanceof SSLException) {
            return new TransportError(Reason.CONNECT, "TLS handshake failed");
        }
        if (e instanceof TimeoutException || e instanceof io.netty.handler.timeout.TimeoutException) {
            return new TransportError(Reason.TIMEOUT, "timed out");
        }
        if (e instanceof PrematureCloseException
                || e instanceof AbortedException
                || e instanceof ClosedChannelException) {
            return new TransportError(Reason.RESET, "connection closed early");
        }
        if (e instanceof IOException) {
            return new TransportError(Reason.RESET, "connection reset");
        }
        // Netty could not decode the response: a corrupt compressed body, headers over the limit, a
        // broken chunk. Retried like a reset (a transfer can break), without a stack trace in the log.
        if (e instanceof io.netty.handler.codec.DecoderException) {
            return new TransportError(Reason.RESET, "malformed response");
        }
        return null;
    }
}
