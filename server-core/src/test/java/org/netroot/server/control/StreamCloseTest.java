package org.netroot.server.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** Closing a live stream or an event follower is the normal end: quiet, reported as closed, not as an error. */
class StreamCloseTest {
    @TempDir Path tmp;

    @Test
    void closingTheStreamOrAFollowerIsQuiet() throws Exception {
        Path data = tmp.resolve("data");
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl api = RemoteControl.connect(data).orElseThrow()) {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            for (int i = 0; i < 20; i++) {
                List<Throwable> errors = new CopyOnWriteArrayList<>();
                CountDownLatch closed = new CountDownLatch(1);
                AutoCloseable stream = api.subscribe(0, new ChangeListener() {
                    @Override
                    public void onEvent(ChangeEvent event) {
                    }

                    @Override
                    public void onClosed() {
                        closed.countDown();
                    }

                    @Override
                    public void onError(Throwable error) {
                        errors.add(error);
                    }
                });
                if (i % 2 == 0) Thread.sleep(20); // both while the reader waits for data and right after it started
                stream.close();
                assertTrue(closed.await(10, TimeUnit.SECONDS), "closing the stream ends it");
                assertEquals(List.of(), errors, "closing is not an error");
                // the follower: closed while it reads its backlog and once it is live
                AutoCloseable follower = api.followEvents(0, e -> { });
                if (i % 2 == 1) Thread.sleep(20);
                follower.close();
            }
            Thread.sleep(500); // a stack trace from a reader thread would come after the close returns
        } finally {
            System.setErr(err);
        }
        String said = printed.toString(StandardCharsets.UTF_8);
        assertTrue(!said.contains("Exception"), "a normal close printed:\n" + said);
    }
}
