package org.netroot.server.testing;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes a Netty buffer leak fail the test class that leaked it. Netty's own detector only logs a
 * leak, and only when a later allocation happens to notice it; this one records every leak it
 * reports, and after each class collects garbage and allocates so the leaks of that class are
 * reported, then fails the class with Netty's access records (where the buffer was allocated and
 * last touched). Registered for every class through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} (autodetection is on in
 * junit-platform.properties); Surefire runs tests with {@code -Dio.netty.leakDetection.level=paranoid}
 * so every buffer is tracked, not one in 128.
 */
public final class NettyLeakCheck implements AfterAllCallback {
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        install();
    }

    /**
     * Installs the recording detector; it must come before any ByteBuf class asks the factory for its
     * detector. {@link SessionStart} calls it when the test run opens, before any engine (JUnit
     * Jupiter) runs a test; the extension's own loading is the fallback.
     */
    static synchronized void install() {
        if (installed()) return;
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID); // run from an IDE without the argLine
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    /** Registered in META-INF/services/org.junit.platform.launcher.LauncherSessionListener. */
    public static final class SessionStart implements LauncherSessionListener {
        @Override
        public void launcherSessionOpened(LauncherSession session) {
            install();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collect(3);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) while " + context.getDisplayName()
                    + " ran (a ByteBuf was never released):\n\n" + String.join("\n\n", leaks));
        }
    }

    /**
     * Collects garbage and allocates a buffer {@code rounds} times (Netty looks for collected,
     * unreleased buffers when it tracks a new one) and returns, and forgets, the leaks reported so far.
     */
    public static List<String> collect(int rounds) {
        for (int i = 0; i < rounds; i++) {
            System.gc();
            try {
                Thread.sleep(20); // the reference handler thread queues what the collector found
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Unpooled.buffer(1).release();
            PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        List<String> out = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) out.add(leak);
        return out;
    }

    /** Whether the detector this installs is the one ByteBufs use (false if Netty was loaded first). */
    public static boolean installed() {
        return ResourceLeakDetectorFactory.instance() instanceof RecordingFactory;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // Netty asks its logger; a test's log level must not hide a leak
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (no access records: the leak detector level is below PARANOID)");
        }
    }
}
