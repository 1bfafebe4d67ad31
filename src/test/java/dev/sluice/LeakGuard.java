package dev.sluice;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails tests on any Netty buffer leak report. {@link Installer} (a launcher session listener, so it
 * runs before any buffer class is loaded) replaces Netty's leak detector factory with one that records
 * every report; this extension, registered for every test by auto-detection, fails the test after
 * which a report arrived. Reports come when leaked buffers are garbage collected, so a leak may be
 * attributed to a test that runs after the one that leaked: the message says so.
 */
public final class LeakGuard implements AfterEachCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    /**
     * Returns and forgets the leak reports received so far.
     *
     * @return the reports
     */
    public static List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            out.add(leak);
        }
        return out;
    }

    /** Installs the recording factory when the test session opens. */
    public static final class Installer implements LauncherSessionListener {
        @Override
        public void launcherSessionOpened(LauncherSession session) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Recording());
        }
    }

    private static final class Recording extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
