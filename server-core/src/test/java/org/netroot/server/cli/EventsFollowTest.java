package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** {@code netroot events -f} against a running server: it prints live events and ends when the server stops. */
class EventsFollowTest {
    @TempDir Path tmp;

    @Test
    void followEndsNonZeroWhenTheServerStops() throws Exception {
        Path data = tmp.resolve("data");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> code = new CompletableFuture<>();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
                server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "backlog"));
                Thread.ofVirtual().start(() -> {
                    try {
                        code.complete(NetrootCli.run(new String[] {"events", "-f", "--data", data.toString()}));
                    } catch (Throwable t) {
                        code.completeExceptionally(t);
                    }
                });
                waitFor(out, "backlog");
                server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "live"));
                waitFor(out, "live");
            }
            // before: the command waited on a latch nobody counted down, forever
            int exit = code.get(15, TimeUnit.SECONDS);
            assertEquals(1, exit, "the server stopping is no success");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the server stopped"), err.toString(StandardCharsets.UTF_8));
    }

    private static void waitFor(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!out.toString(StandardCharsets.UTF_8).contains(text) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(text), "printed: " + out);
    }
}
