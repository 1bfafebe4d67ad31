package dev.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * The command line's logging: warnings and errors of Sluice (and only warnings of Netty and
 * Reactor) on standard error, as {@code sluice: LEVEL Logger: message}. The same as
 * {@code dev/sluice/cli/logback.xml}, set up in code because reading that file through Logback's
 * XML configurator took about 0.1 s of every run's start-up. A {@code -Dlogback.configurationFile}
 * given in {@code JAVA_OPTS} wins over both.
 */
final class CliLogging {

    /** The CLI's own configuration file, for reference and for tools that want it. */
    static final String FILE = "dev/sluice/cli/logback.xml";

    private CliLogging() {}

    /** Configures Logback for the command line unless the user named a configuration file. */
    static void configure() {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("sluice: %-5level %logger{0}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("reactor").setLevel(Level.WARN);
    }
}
