package org.netroot.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** RemoteControl's live stream: closing the client, a server that never opens the stream, a quiet stream. */
class RemoteControlStreamTest {
    @TempDir Path tmp;

    static final class Recorder implements ChangeListener {
        final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile Throwable error;

        @Override
        public void onEvent(ChangeEvent event) {
            events.add(event);
        }

        @Override
        public void onClosed() {
            closed.countDown();
        }

        @Override
        public void onError(Throwable e) {
            error = e;
            closed.countDown();
        }
    }

    @Test
    void closingTheClientWithAStreamOpenIsAnOrdinaryEnd() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
            RemoteControl api = RemoteControl.connect(data).orElseThrow();
            Recorder r = new Recorder();
            api.subscribe(0, r);
            api.close();
            assertTrue(r.closed.await(10, TimeUnit.SECONDS));
            assertNull(r.error, "before: the client's shutdown broke the stream, reported as an error");
        }
    }

    @Test
    void aServerThatNeverOpensTheStreamIsReportedNotWaitedForForever() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    Socket s = silent.accept(); // and never answer
                    Thread.sleep(60_000);
                    s.close();
                } catch (Exception ignored) {
                    // the test ended
                }
            });
            RemoteControl api = new RemoteControl(new ControlEndpoint(silent.getLocalPort(), "token"));
            api.streamHeadTimeout(Duration.ofMillis(500));
            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(IllegalStateException.class, () -> api.subscribe(0, new Recorder())));
            assertTrue(e.getMessage().contains("did not open the live stream"), e.getMessage());
            api.close();
        }
    }

    @Test
    void theHeadTimeoutDoesNotCutAQuietStream() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl api = RemoteControl.connect(data).orElseThrow()) {
            // the head itself must come within it: 300 ms was short for a server in this JVM on a loaded 2-CPU machine
            api.streamHeadTimeout(Duration.ofSeconds(2));
            Recorder r = new Recorder();
            try (AutoCloseable sub = api.subscribe(0, r)) {
                Thread.sleep(3000); // nothing happens for longer than the head timeout
                api.createVolume("v1", 1 << 20);
                long deadline = System.currentTimeMillis() + 10_000;
                while (r.events.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(10);
                assertEquals(ChangeType.VOLUME_CREATED, r.events.get(0).type());
                assertNull(r.error);
            }
        }
    }
}
