package dev.sluice.cli;

import dev.sluice.RunContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into a graceful stop of one run: the first signal stops the source and
 * starts the grace period, the end of the grace period or a second signal cuts what is in flight.
 * The JDK's {@code sun.misc.Signal} (module jdk.unsupported) is the only way to keep the process
 * alive on a signal long enough to drain; shutdown hooks cannot change the exit code.
 */
final class Interruption {

    private static final String[] SIGNALS = {"INT", "TERM"};

    private final RunContext context;
    private final Duration grace;
    private final AtomicReference<String> first = new AtomicReference<>();
    private final AtomicInteger count = new AtomicInteger();
    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];
    private volatile Disposable graceTimer = () -> { };

    private Interruption(RunContext context, Duration grace) {
        this.context = context;
        this.grace = grace;
    }

    static Interruption install(RunContext context, Duration grace) {
        Interruption interruption = new Interruption(context, grace);
        for (int i = 0; i < SIGNALS.length; i++) {
            try {
                interruption.previous[i] = Signal.handle(new Signal(SIGNALS[i]), interruption::on);
            } catch (IllegalArgumentException e) {
                interruption.previous[i] = null;
            }
        }
        return interruption;
    }

    private void on(Signal signal) {
        first.compareAndSet(null, signal.getName());
        if (count.incrementAndGet() == 1) {
            context.stop();
            graceTimer = Mono.delay(grace, Schedulers.single()).subscribe(t -> context.abort());
        } else {
            context.abort();
        }
    }

    void uninstall() {
        graceTimer.dispose();
        for (int i = 0; i < SIGNALS.length; i++) {
            if (previous[i] != null) {
                Signal.handle(new Signal(SIGNALS[i]), previous[i]);
            }
        }
    }

    /** The first signal received, e.g. {@code "TERM"}, or null when none was. */
    String signal() {
        return first.get();
    }

    int exitCode() {
        return "INT".equals(first.get()) ? 130 : 143;
    }
}
