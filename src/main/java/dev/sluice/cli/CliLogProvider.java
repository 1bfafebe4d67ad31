package dev.sluice.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's SLF4J provider: Logback, set up straight away with {@link CliLogging}'s
 * configuration. {@code bin/sluice} names it with {@code -Dslf4j.provider}; Logback's own provider
 * would first look for configuration files and, finding none, build a console configuration that
 * {@link CliLogging} then throws away: 40 - 80 ms of every run's start-up. With a
 * {@code -Dlogback.configurationFile} in {@code JAVA_OPTS}, Logback's own provider does the work, so
 * the file is read as usual. The library jar does not register this provider: only the launcher
 * names it.
 */
public final class CliLogProvider implements SLF4JServiceProvider {

    private ILoggerFactory loggers;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    /** Made by SLF4J, by name. */
    public CliLogProvider() {}

    @Override
    public void initialize() {
        if (System.getProperty(CliLogging.CONFIGURATION_FILE) != null) {
            LogbackServiceProvider logback = new LogbackServiceProvider();
            logback.initialize();
            loggers = logback.getLoggerFactory();
            markers = logback.getMarkerFactory();
            mdc = logback.getMDCAdapter();
            return;
        }
        // What Logback's provider does, with the command line's configuration in place of its search.
        LoggerContext context = new LoggerContext();
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        LogbackMDCAdapter adapter = new LogbackMDCAdapter();
        context.setMDCAdapter(adapter);
        CliLogging.configure(context);
        context.start();
        loggers = context;
        markers = new BasicMarkerFactory();
        mdc = adapter;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }
}
