package org.netroot.server.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeType;
import org.netroot.server.events.ChangeFeed;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** LocalControl.subscribe (the in-process stream) under the stream's rules: bounded, told when it ends. */
class InProcessSubscriptionTest {
    @TempDir Path tmp;

    @Test
    void aStuckListenerIsDroppedWithOverflowAndEveryListenerHearsTheServerStop() throws Exception {
        Path data = tmp.resolve("data");
        ChangeStreamTest.Recorder stopped = new ChangeStreamTest.Recorder();
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
            LocalControl control = server.control();
            ChangeFeed feed = control.changes();
            int others = feed.subscriberCount();
            CountDownLatch release = new CountDownLatch(1);
            ChangeStreamTest.Recorder stuck = new ChangeStreamTest.Recorder() {
                @Override
                public void onEvent(org.netroot.server.api.ChangeEvent event) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    super.onEvent(event);
                }
            };
            control.subscribe(0, stuck);
            control.subscribe(0, stopped);
            int published = feed.subscriberQueueBound() + 2;
            // the stuck listener holds the first; the rest pass its bound: before, the queue just grew
            for (int i = 0; i < published; i++) feed.publish(ChangeType.VOLUME_CHANGED, "v" + i, null);
            assertEquals(others + 1, feed.subscriberCount(), "the stuck listener no longer holds the feed");
            release.countDown();
            assertTrue(stuck.closed.await(10, TimeUnit.SECONDS), "dropped means ended");
            assertEquals(ChangeType.OVERFLOW, stuck.events.get(stuck.events.size() - 1).type(), "told why");
            assertTrue(stuck.events.size() < published, "queue bounded: " + stuck.events.size());
            assertNull(stuck.error);
            stopped.await(l -> l.size() == published);
        }
        // before: the listener thread waited on its queue forever
        assertTrue(stopped.closed.await(10, TimeUnit.SECONDS), "the server stopping ends the subscription");
        assertNull(stopped.error);
    }
}
