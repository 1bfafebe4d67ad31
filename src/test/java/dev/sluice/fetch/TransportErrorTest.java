package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.Reason;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link TransportError#classify}: known failures by their cause chain; unknown ones retried, and logged once per type. */
class TransportErrorTest {

    /** A type no other test throws, so that its first classification here is its first in the JVM. */
    static final class Unforeseen extends RuntimeException {
        Unforeseen(String message) {
            super(message);
        }
    }

    @Test
    void knownFailuresAreNamedByTheFirstKnownCauseInTheChain() {
        assertThat(TransportError.classify(new IllegalStateException("wrapped", new ConnectException("refused"))))
                .isEqualTo(new TransportError(Reason.CONNECT, "connection refused"));
        assertThat(TransportError.classify(new java.nio.channels.ClosedChannelException()))
                .isEqualTo(new TransportError(Reason.RESET, "connection closed early"));
        assertThat(TransportError.classify(new java.io.IOException("Connection reset by peer")))
                .isEqualTo(new TransportError(Reason.RESET, "connection reset"));
    }

    @Test
    void aResponseNettyCannotDecodeIsAMalformedResponseNotAnUnknownError() {
        assertThat(TransportError.classify(new io.netty.handler.codec.compression.DecompressionException("decompression failure")))
                .isEqualTo(new TransportError(Reason.RESET, "malformed response"));
        assertThat(TransportError.classify(new io.netty.handler.codec.http.TooLongHttpHeaderException("HTTP header is larger than 8192 bytes.")))
                .isEqualTo(new TransportError(Reason.RESET, "malformed response"));
    }

    @Test
    void anUnknownErrorIsARetriedResetAndItsTypeIsLoggedOnceWithItsStackTrace() {
        Logger logger = (Logger) LoggerFactory.getLogger(TransportError.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            TransportError first = TransportError.classify(new Unforeseen("a bug"));
            TransportError second = TransportError.classify(new Unforeseen("the same bug again"));

            assertThat(first).isEqualTo(new TransportError(Reason.RESET, TransportError.UNEXPECTED)).isEqualTo(second);
            assertThat(logged.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("Unforeseen: a bug").contains("retried");
                assertThat(event.getThrowableProxy().getClassName()).isEqualTo(Unforeseen.class.getName());
            });
        } finally {
            logger.detachAppender(logged);
        }
    }
}
