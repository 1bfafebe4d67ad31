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

    /** The system property naming a Logback configuration file, which wins over this class. */
    static final String CONFIGURATION_FILE = "logback.configurationFile";

    /** Marks a logger context this class configured. */
    private static final String CONFIGURED = CliLogging.class.getName();

    private CliLogging() {}

    /**
     * Configures Logback for the command line unless the user named a configuration file, or
     * {@link CliLogProvider} already did (as it does under {@code bin/sluice}).
     */
    static void configure() {
        if (System.getProperty(CONFIGURATION_FILE) != null) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (context.getObject(CONFIGURED) == null) {
            context.reset();
            configure(context);
        }
    }

    /** Puts the command line's appender and levels into {@code context}. */
    static void configure(LoggerContext context) {
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
        context.putObject(CONFIGURED, Boolean.TRUE);
    }
}
