package org.netroot.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Every test has a time limit (junit-platform.properties): a hang fails with a message, it does not hold the run. */
class TimeLimitTest {
    private static volatile boolean sampleRuns;
    private static volatile DatagramSocket socket;

    static boolean sampleRuns() {
        return sampleRuns;
    }

    @Test
    void everyTestHasTheDefaultLimit() throws Exception {
        Properties p = new Properties();
        try (InputStream in = TimeLimitTest.class.getResourceAsStream("/junit-platform.properties")) {
            p.load(in);
        }
        assertEquals("2 m", p.getProperty("junit.jupiter.execution.timeout.default"));
        assertEquals("SEPARATE_THREAD", p.getProperty("junit.jupiter.execution.timeout.thread.mode.default"));
    }

    /** A test stuck in a read that ignores interrupts fails at the limit, with the limit in its message. */
    @Test
    void aHangingTestFailsAtTheLimit() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sampleRuns = true;
        long started = System.nanoTime();
        try {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(HangingSample.class))
                    .enableImplicitConfigurationParameters(true) // junit-platform.properties, as in the real run
                    .configurationParameter("junit.jupiter.execution.timeout.default", "1 s") // but not two minutes
                    .execute();
            var failed = results.testEvents().failed().list();
            assertEquals(1, failed.size(), "the hanging test must fail: " + results.testEvents().list());
            Throwable why = failed.getFirst().getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
            assertInstanceOf(TimeoutException.class, why);
            assertTrue(why.getMessage().contains("timed out after 1 second"), why.getMessage());
        } finally {
            sampleRuns = false;
            socket.close(); // lets the abandoned thread go
        }
        assertTrue(System.nanoTime() - started < 30_000_000_000L, "the limit was not kept");
    }

    /** Run only by {@link #aHangingTestFailsAtTheLimit}. */
    @EnabledIf("org.netroot.server.testing.TimeLimitTest#sampleRuns")
    static class HangingSample {
        @Test
        void waitsForADatagramThatNeverComes() throws Exception {
            socket.receive(new DatagramPacket(new byte[16], 16)); // no SO_TIMEOUT, deaf to interrupts
        }
    }
}
