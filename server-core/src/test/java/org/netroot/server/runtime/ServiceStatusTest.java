package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Json;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.testing.TestConfigs;

/**
 * Each service's status says where it listens and what it handled; the stream carries the state with
 * every start and stop, and live counters without anyone polling, to the in-process and the remote API.
 */
class ServiceStatusTest {
    @TempDir Path data;
    @TempDir Path ipxe;

    @Test
    void statusSaysWhereEachServiceListensAndCountsItsRequests() throws Exception {
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, ipxe))) {
            ServerStatus.ServiceState tftp = state(server.status(), "TFTP");
            assertTrue(tftp.running());
            assertEquals("udp", tftp.transport());
            assertTrue(tftp.mainPort() > 0, "the port the system picked, not 0: " + tftp);
            assertTrue(tftp.addresses().contains("127.0.0.1"), tftp.toString());
            assertEquals("tcp", state(server.status(), "HTTP").transport());
            assertEquals(List.of("0.0.0.0"), state(server.status(), "iSCSI").addresses(), "no interface: every address");
            assertTrue(state(server.status(), "iSCSI").mainPort() > 0);
            assertEquals(List.of("0.0.0.0"), state(server.status(), "NBD").addresses());
            assertEquals("tcp", state(server.status(), "NBD").transport());
            assertTrue(state(server.status(), "NBD").running());
            assertTrue(state(server.status(), "NBD").mainPort() > 0, "port 0 asked for: the port the system picked");
            assertNull(tftp.mode());

            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                send(client, readRequest("nothing-here.efi"), tftp.mainPort());
                send(client, new byte[] {0, 9, 1}, tftp.mainPort()); // opcode 9: garbage
            }
            awaitState(server, "TFTP", s -> s.requests() == tftp.requests() + 1 && s.droppedInput() == 1);
            assertEquals(1L, server.status().droppedInput().get("TFTP"));
        }
    }

    @Test
    void theStreamCarriesStatesAndLiveCountersInProcessAndRemote() throws Exception {
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, ipxe));
             NetrootControl remote = Netroot.attach(data)) {
            assertInstanceOf(RemoteControl.class, remote);
            Recorder local = new Recorder();
            Recorder viaHttp = new Recorder();
            try (AutoCloseable a = server.control().subscribe(0, local); AutoCloseable b = remote.subscribe(0, viaHttp)) {
                ServerStatus stopped = remote.stopService("TFTP");
                assertFalse(state(stopped, "TFTP").running());
                for (Recorder r : List.of(local, viaHttp)) {
                    ServerStatus.ServiceState s = r.next(ChangeType.SERVICE_STOPPED, "TFTP");
                    assertFalse(s.running());
                    assertEquals(List.of(), s.addresses(), "listening nowhere once stopped");
                }
                ServerStatus started = remote.startService("TFTP");
                int port = state(started, "TFTP").mainPort();
                assertTrue(port > 0);
                for (Recorder r : List.of(local, viaHttp)) {
                    ServerStatus.ServiceState s = r.next(ChangeType.SERVICE_STARTED, "TFTP");
                    assertTrue(s.running());
                    assertEquals(port, s.mainPort(), "the state in the event is the state the status shows");
                }

                try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    send(client, new byte[] {0, 9, 1}, port);
                }
                for (Recorder r : List.of(local, viaHttp)) {
                    ServerStatus.ServiceState s = r.next(ChangeType.SERVICE_COUNTERS, "TFTP");
                    assertEquals(1, s.droppedInput());
                }
                Thread.sleep(2_500);
                assertTrue(local.events.stream().noneMatch(e -> e.type() == ChangeType.SERVICE_COUNTERS),
                        "idle: no more counter changes, " + local.events);
            }
        }
    }

    @Test
    void stateRoundTripsThroughJsonAndReadsTheOldShape() throws Exception {
        ServerStatus.ServiceState dhcp = new ServerStatus.ServiceState("DHCP", true, null, List.of("192.168.1.2"),
                List.of(67, 4011), "udp", "PROXY", List.of("eth0"), 12, 3);
        String json = Json.MAPPER.writeValueAsString(dhcp);
        assertEquals(dhcp, Json.MAPPER.readValue(json, ServerStatus.ServiceState.class));
        assertFalse(json.contains("mainPort"), json);
        ServerStatus.ServiceState old = Json.MAPPER.readValue("{\"name\":\"TFTP\",\"running\":false,\"detail\":\"x\"}",
                ServerStatus.ServiceState.class);
        assertEquals(new ServerStatus.ServiceState("TFTP", false, "x"), old);
        assertEquals(List.of(), old.ports());
    }

    private static ServerStatus.ServiceState state(ServerStatus status, String name) {
        return status.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static void awaitState(NetrootServer server, String name, Predicate<ServerStatus.ServiceState> ok)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ok.test(state(server.status(), name))) {
            if (System.nanoTime() > end) throw new AssertionError("within 5 s: " + state(server.status(), name));
            Thread.sleep(20);
        }
    }

    private static void send(DatagramSocket client, byte[] bytes, int port) throws Exception {
        client.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    }

    private static byte[] readRequest(String file) {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.putShort((short) 1).put(file.getBytes(StandardCharsets.US_ASCII)).put((byte) 0)
                .put("octet".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** Keeps the service changes it hears; {@link #next} takes the first of a type and subject, waiting for it. */
    private static final class Recorder implements ChangeListener {
        final LinkedBlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(ChangeEvent event) {
            if (event.type().name().startsWith("SERVICE_")) events.add(event);
        }

        ServerStatus.ServiceState next(ChangeType type, String subject) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < end) {
                ChangeEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && e.type() == type && e.subject().equals(subject)) {
                    return e.payloadAs(ServerStatus.ServiceState.class);
                }
            }
            throw new AssertionError("no " + type + " for " + subject + " within 5 s; left: " + events);
        }
    }
}
