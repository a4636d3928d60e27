package org.netroot.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.events.ChangeFeed;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** The follower against a real server; only the moment its restart subscribes is held, to meet a close. */
class BootEventFollowerTest {
    @TempDir Path tmp;

    @Test
    void aCloseDuringTheRestartAfterAnOverflowLeavesNoSubscriptionBehind() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl real = RemoteControl.connect(data).orElseThrow()) {
            ChangeFeed feed = server.control().changes();
            int before = feed.subscriberCount();
            AtomicInteger subscribes = new AtomicInteger();
            AtomicReference<ChangeListener> first = new AtomicReference<>();
            CountDownLatch restartSubscribing = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            NetrootControl control = (NetrootControl) Proxy.newProxyInstance(NetrootControl.class.getClassLoader(),
                    new Class<?>[] {NetrootControl.class}, (proxy, method, args) -> {
                        if (method.getName().equals("subscribe")) {
                            if (subscribes.incrementAndGet() == 1) {
                                first.set((ChangeListener) args[1]);
                            } else {
                                restartSubscribing.countDown();
                                closed.await(); // the user closes the follower right now
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            AutoCloseable follower = BootEventFollower.follow(control, 0, e -> { });
            // the server drops the follower as too slow: it restarts with a new subscription
            first.get().onEvent(new ChangeEvent(0, ChangeType.OVERFLOW, Instant.now(), null, null));
            assertTrue(restartSubscribing.await(10, TimeUnit.SECONDS));
            follower.close();
            closed.countDown();

            long deadline = System.currentTimeMillis() + 5_000;
            while (feed.subscriberCount() != before && System.currentTimeMillis() < deadline) Thread.sleep(10);
            Thread.sleep(200); // a subscription the restart left open would still be counted now
            assertEquals(before, feed.subscriberCount(), "before: the restart's subscription stayed open after close");
        }
    }

    @Test
    void anOverflowRestartIsNoEndButTheServerStoppingIs() throws Exception {
        Path data = tmp.resolve("data");
        java.util.List<BootEvent> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl real = RemoteControl.connect(data).orElseThrow()) {
            AtomicReference<ChangeListener> first = new AtomicReference<>();
            NetrootControl control = (NetrootControl) Proxy.newProxyInstance(NetrootControl.class.getClassLoader(),
                    new Class<?>[] {NetrootControl.class}, (proxy, method, args) -> {
                        if (method.getName().equals("subscribe")) first.compareAndSet(null, (ChangeListener) args[1]);
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            BootEventFollower.follow(control, 0, got::add, e -> {
                ends.add(String.valueOf(e));
                ended.countDown();
            });
            server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "one"));
            awaitSize(got, 1);
            // dropped as too slow: the old stream's end (closed by the restart) is no end of the follower
            first.get().onEvent(new ChangeEvent(0, ChangeType.OVERFLOW, Instant.now(), null, null));
            first.get().onError(new java.io.IOException("connection reset"));
            server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "two"));
            awaitSize(got, 2);
            assertEquals(java.util.List.of("one", "two"), got.stream().map(BootEvent::detail).toList());
            assertEquals(java.util.List.of(), ends, "still following");
        }
        assertTrue(ended.await(10, TimeUnit.SECONDS), "the server stopping ends the follower");
        assertEquals(java.util.List.of("null"), ends, "once, as a clean end");
    }

    private static void awaitSize(java.util.List<?> list, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (list.size() < n && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertEquals(n, list.size(), "delivered: " + list);
    }
}
