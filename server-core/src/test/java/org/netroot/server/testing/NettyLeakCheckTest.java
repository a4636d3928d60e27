package org.netroot.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The leak check itself: a test class that leaks a buffer fails, with the record of where the
 * buffer was touched, through the extension as the real run registers it (META-INF/services and
 * autodetection in junit-platform.properties), not by calling the check directly.
 */
class NettyLeakCheckTest {
    private static volatile boolean sampleRuns;
    private static volatile String sampleHint;

    static boolean sampleRuns() {
        return sampleRuns;
    }

    @Test
    void runsAtParanoidWithTheRecordingDetector() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
        assertTrue(NettyLeakCheck.installed(), "the recording detector must be installed before Netty's buffers load");
    }

    /**
     * {@link LeakingSample} names no extension: only the autodetected registration can fail it. If
     * the services file or the autodetection setting is lost, the class passes and so does every
     * leaking test in the suite; this test then fails.
     */
    @Test
    void aClassThatLeaksABufferFailsWithItsAccessRecord() {
        String hint = "deliberately leaked by NettyLeakCheckTest " + System.nanoTime();
        sampleHint = hint;
        sampleRuns = true;
        EngineExecutionResults results;
        try {
            results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(LeakingSample.class))
                    .enableImplicitConfigurationParameters(true) // junit-platform.properties, as in the real run
                    .execute();
        } finally {
            sampleRuns = false;
        }
        assertEquals(1, results.testEvents().succeeded().count(),
                "the leaking test itself passes; its class fails after it: " + results.testEvents().list());
        List<Event> failed = results.containerEvents().failed().list();
        assertEquals(1, failed.size(), "the leaking class must fail (is NettyLeakCheck still registered in"
                + " META-INF/services and extension autodetection on in junit-platform.properties?): "
                + results.containerEvents().list());
        String name = failed.getFirst().getTestDescriptor().getDisplayName();
        assertTrue(name.endsWith("LeakingSample"), "the class fails, not the engine: " + name);
        String why = failed.getFirst().getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        // exactly one: a leak of an earlier class found only now would be lost here, so it fails this test
        assertTrue(why.startsWith("1 Netty buffer leak(s) while " + name + " ran"), why);
        assertTrue(why.contains(hint) && why.contains("ByteBuf.release() was not called"),
                "the access record with the hint: " + why);
    }

    @Test
    void aReleasedBufferIsNotALeak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42).touch("released by NettyLeakCheckTest");
        b.release();
        List<String> caught = NettyLeakCheck.collect(3);
        assertTrue(caught.stream().noneMatch(l -> l.contains("released by NettyLeakCheckTest")), caught.toString());
    }

    /** Run only by {@link #aClassThatLeaksABufferFailsWithItsAccessRecord}; leaks one buffer. */
    @EnabledIf("org.netroot.server.testing.NettyLeakCheckTest#sampleRuns")
    static class LeakingSample {
        @Test
        void leaksOneBuffer() throws InterruptedException {
            WeakReference<ByteBuf> leaked = leak(sampleHint);
            // wait until the collector has taken it, so the check after the class finds it at once
            for (int i = 0; i < 100 && leaked.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
        }

        private static WeakReference<ByteBuf> leak(String hint) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            b.writeLong(42).touch(hint);
            return new WeakReference<>(b);
        }
    }
}
