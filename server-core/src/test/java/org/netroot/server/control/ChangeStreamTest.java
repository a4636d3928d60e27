package org.netroot.server.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ControlEndpoint;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Volume;
import org.netroot.server.events.ChangeFeed;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** The live stream (GET /api/stream) over a real socket: order, ids, replay, reset, slow readers. */
class ChangeStreamTest {
    @TempDir Path tmp;

    /** Keeps what arrives; a test waits for what it expects. */
    static class Recorder implements ChangeListener {
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

        List<ChangeEvent> await(Predicate<List<ChangeEvent>> done) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!done.test(events) && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertTrue(done.test(events), "stream did not deliver in time: " + events);
            return List.copyOf(events);
        }

        List<ChangeType> types() {
            return events.stream().map(ChangeEvent::type).toList();
        }
    }

    @Test
    void changesArriveInOrderWithIdsAndAReconnectGetsWhatItMissed() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            Recorder first = new Recorder();
            AutoCloseable sub = api.subscribe(0, first);
            api.createVolume("v1", 1 << 20);
            api.addClient(new Client("c1", "52:54:00:00:00:01", "v1", null, null, null, "s3cret-s3cret-1", null, null,
                    null));
            api.updateClient("c1", api.clients().get(0));
            server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "boot"));
            api.stopService("TFTP");
            List<ChangeEvent> got = first.await(l -> l.size() >= 6);
            assertEquals(List.of(ChangeType.VOLUME_CREATED, ChangeType.CLIENT_ADDED, ChangeType.CLIENT_UPDATED,
                    ChangeType.BOOT, ChangeType.CLIENT_ACTIVITY, ChangeType.SERVICE_STOPPED), first.types(),
                    "the boot event, then the client's card state it changed");
            for (int i = 1; i < got.size(); i++) assertEquals(got.get(i - 1).id() + 1, got.get(i).id(), "ids in order");
            assertEquals("v1", got.get(0).payloadAs(Volume.class).name());
            Client streamed = got.get(1).payloadAs(Client.class);
            assertNull(streamed.chapSecret(), "no secret on the stream");
            assertTrue(streamed.chap());
            BootEvent boot = got.get(3).payloadAs(BootEvent.class);
            assertEquals("c1", boot.clientName());
            assertTrue(boot.id() > 0, "the boot event keeps its database id");
            sub.close();
            assertTrue(first.closed.await(5, TimeUnit.SECONDS), "closing reports onClosed");
            assertNull(first.error);

            long lastSeen = got.get(got.size() - 1).id();
            api.startService("TFTP");
            api.removeClient("c1");
            api.removeVolume("v1");
            Recorder again = new Recorder();
            try (AutoCloseable ignored = api.subscribe(lastSeen, again)) {
                List<ChangeEvent> missed = again.await(l -> l.size() >= 3);
                assertEquals(List.of(ChangeType.SERVICE_STARTED, ChangeType.CLIENT_REMOVED, ChangeType.VOLUME_REMOVED),
                        again.types());
                assertEquals(lastSeen + 1, missed.get(0).id());
                api.createVolume("v2", 1 << 20);
                assertEquals(ChangeType.VOLUME_CREATED, again.await(l -> l.size() >= 4).get(3).type());
            }
        }
    }

    @Test
    void anIdOlderThanTheServerHoldsGetsAResetAndTheStreamGoesOn() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            api.createVolume("v1", 1 << 20);
            Recorder r = new Recorder();
            try (AutoCloseable sub = api.subscribe(1, r)) { // an id of some earlier run
                api.createVolume("v2", 1 << 20);
                List<ChangeEvent> got = r.await(l -> l.size() >= 2);
                assertEquals(List.of(ChangeType.RESET, ChangeType.VOLUME_CREATED), r.types());
                assertEquals(got.get(0).id() + 1, got.get(1).id(), "reset carries the id to go on from");
            }
        }
    }

    @Test
    void theServerClosingTheStreamIsReported() throws Exception {
        Path data = tmp.resolve("data");
        Recorder r = new Recorder();
        NetrootControl api;
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
            api = Netroot.attach(data);
            api.subscribe(0, r);
        }
        assertTrue(r.closed.await(10, TimeUnit.SECONDS), "onClosed or onError when the server goes away");
        api.close();
    }

    @Test
    void aReaderThatDoesNotReadIsToldAndDroppedWithItsQueueBounded() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             Socket slow = new Socket("127.0.0.1", ControlEndpoint.read(data).orElseThrow().port())) {
            ControlEndpoint ep = ControlEndpoint.read(data).orElseThrow();
            ChangeFeed feed = server.control().changes();
            slow.setReceiveBufferSize(4096);
            slow.getOutputStream().write(("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + ep.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            long deadline = System.currentTimeMillis() + 10_000;
            while (feed.subscriberCount() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(5);
            assertEquals(1, feed.subscriberCount());

            ControlApiServer control = server.controlApi();
            assertEquals(0, control.droppedSlowReaders());
            String filler = "x".repeat(500);
            int published = 0;
            // never read: the socket buffers fill, the channel turns unwritable, the queue fills, then the drop
            while (control.droppedSlowReaders() == 0 && published < 500_000) {
                feed.publish(ChangeType.VOLUME_CHANGED, "v" + published, filler);
                published++;
            }
            assertEquals(1, control.droppedSlowReaders(), "dropped after " + published);
            assertEquals(0, feed.subscriberCount(), "the feed no longer holds the slow reader");
            assertTrue(control.longestStreamQueue() <= control.streamQueueBound(),
                    "queue stayed within its bound: " + control.longestStreamQueue());
            assertTrue(control.longestStreamQueue() > 0, "the queue was used");
            assertTrue(published > control.streamQueueBound(), "published " + published);

            // now read: what was buffered, then the overflow notice, then the end
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 200"), text.substring(0, Math.min(200, text.length())));
            assertTrue(text.contains("Netroot-Api-Version: 1") || text.contains("netroot-api-version: 1"));
            String tail = text.substring(Math.max(0, text.length() - 400));
            assertTrue(tail.contains("event: overflow"), tail);
        }
    }
}
