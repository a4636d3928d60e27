package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.service.InputErrors;

/**
 * The Netty service over real sockets: garbage dropped and counted without harm to the next client,
 * requests pipelined and all answered, NBD_CMD_DISC answering what is in flight first, a client that
 * does not read held back, volumes given back when connections end. Buffers leak-checked
 * ({@code testing.NettyLeakCheck} runs after every test class).
 */
class NbdServiceTest {
    static final int SIZE = 4 << 20;

    @TempDir
    java.nio.file.Path dir;
    NbdLab lab;
    Client pc;
    byte[] content;

    @BeforeEach
    void start() throws Exception {
        lab = new NbdLab(dir);
        pc = lab.addClient("pc1", "52:54:00:00:00:01", SIZE);
        content = new byte[SIZE];
        new Random(11).nextBytes(content);
        Files.write(lab.volumeFile(pc), content);
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    private int port() {
        return lab.service.port();
    }

    private boolean released() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (lab.volumes.openVolumes().find(pc.volumeName()).isEmpty()) return true;
            Thread.sleep(25);
        }
        return false;
    }

    private static Request read(long handle, long offset, int length) {
        return new Request(0, NbdProtocol.CMD_READ, handle, offset, length);
    }

    @Test
    void garbageIsDroppedCountedAndTheNextClientIsServed() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: netroot\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes(); // the greeting, then the server hangs up
        }
        lab.awaitDropped(1);

        try (RawNbdClient c = RawNbdClient.connect(port())) { // a client that is not fixed newstyle
            c.out.writeInt(0);
            c.out.flush();
            assertTrue(c.closedByServer());
        }
        lab.awaitDropped(2);

        try (RawNbdClient c = RawNbdClient.handshake(port())) { // an option without its magic
            c.out.write(new byte[16]);
            c.out.flush();
            assertTrue(c.closedByServer());
        }
        lab.awaitDropped(3);

        try (RawNbdClient c = RawNbdClient.handshake(port())) { // an option that says a megabyte of data follows
            c.out.write(ByteBuffer.allocate(16).putLong(NbdProtocol.IHAVEOPT).putInt(NbdProtocol.OPT_GO).putInt(1 << 20).array());
            c.out.flush();
            assertTrue(c.closedByServer());
        }
        lab.awaitDropped(4);

        try (RawNbdClient c = RawNbdClient.handshake(port())) { // half an option, then the client is gone
            c.out.write(new OptionRequest(NbdProtocol.OPT_LIST, new byte[0]).encode(), 0, 10);
            c.out.flush();
        }
        lab.awaitDropped(5);

        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), true)) { // a request without its magic
            byte[] bad = read(1, 0, 512).encode();
            bad[0] ^= 0x40;
            c.out.write(bad);
            c.out.flush();
            assertTrue(c.closedByServer());
        }
        lab.awaitDropped(6);

        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), true)) { // a WRITE past the maximum block size
            c.send(new Request(0, NbdProtocol.CMD_WRITE, 1, 0, 64 << 20), new byte[4096]);
            assertTrue(c.closedByServer());
        }
        lab.awaitDropped(7);

        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), true)) {
            c.send(read(9, 4096, 4096), null);
            RawNbdClient.Reply r = c.reply(0);
            assertEquals(9, r.handle());
            assertArrayEquals(Arrays.copyOfRange(content, 4096, 8192), Arrays.copyOfRange(r.data(), 8, r.data().length));
        }
        assertEquals(7, lab.dropped(), "a good client is not counted");
        assertTrue(released(), "every connection gave the volume back");
    }

    @Test
    void anUnknownOptionIsErrUnsupAndTheHandshakeGoesOn() throws Exception {
        try (RawNbdClient c = RawNbdClient.handshake(port())) {
            RawNbdClient.OptionReply r = c.option(42, new byte[] {1, 2, 3}).get(0);
            assertEquals(NbdProtocol.REP_ERR_UNSUP, r.type());
            assertEquals(42, r.option());
            List<RawNbdClient.OptionReply> go = c.option(NbdProtocol.OPT_GO, RawNbdClient.goData(pc.volumeName()));
            assertEquals(NbdProtocol.REP_ACK, go.get(go.size() - 1).type());
        }
        assertEquals(0, lab.dropped());
    }

    @Test
    void aConnectionThatChoosesNoExportInTimeIsClosedAndCounted() throws Exception {
        // the open connection's own handshake must end within it: 500 ms was short for a loaded 2-CPU machine
        // (a first OPT_GO opens the volume), and the connection was then dropped too
        lab.service.handshakeTimeout(Duration.ofSeconds(2));
        try (RawNbdClient open = RawNbdClient.open(port(), pc.volumeName(), false);
             RawNbdClient silent = RawNbdClient.handshake(port())) {
            assertTrue(silent.closedByServer(), "a connection that never chooses an export is closed");
            lab.awaitDropped(1);
            Thread.sleep(600); // the open connection, accepted first, is past its timeout too
            open.send(read(1, 0, 512), null);
            assertEquals(0, open.reply(512).error(), "a connection in transmission outlives the timeout");
        }
    }

    @Test
    void manyRequestsInFlightAreAllAnsweredEachWithItsData() throws Exception {
        int n = 600; // several times what one connection may have in flight: the rest wait in the socket
        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), true)) {
            ByteBuffer all = ByteBuffer.allocate(n * 28);
            for (int i = 0; i < n; i++) all.put(read(1000 + i, (long) (i % 1000) * 4096, 4096).encode());
            c.out.write(all.array());
            c.out.flush();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                RawNbdClient.Reply r = c.reply(0);
                assertEquals(0, r.error());
                int k = (int) (r.handle() - 1000);
                assertTrue(seen.add(r.handle()), "one reply per handle");
                long offset = ByteBuffer.wrap(r.data()).getLong();
                assertEquals((long) (k % 1000) * 4096, offset);
                assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) offset + 4096),
                        Arrays.copyOfRange(r.data(), 8, r.data().length));
            }
            assertEquals(n, seen.size());
        }
    }

    @Test
    void writesThenFlushThenReadsSeeTheWrites() throws Exception {
        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), false)) {
            byte[] data = new byte[64 << 10];
            Arrays.fill(data, (byte) 0x3c);
            for (int i = 0; i < 16; i++) c.send(new Request(0, NbdProtocol.CMD_WRITE, i, (long) i << 16, data.length), data);
            for (int i = 0; i < 16; i++) assertEquals(0, c.reply(0).error());
            c.send(new Request(0, NbdProtocol.CMD_FLUSH, 99, 0, 0), null);
            assertEquals(99, c.reply(0).handle());
            c.send(read(100, 0, 1 << 20), null);
            RawNbdClient.Reply r = c.reply(1 << 20);
            byte[] expected = new byte[1 << 20];
            Arrays.fill(expected, (byte) 0x3c);
            assertArrayEquals(expected, r.data(), "simple replies: the data follows the header");
        }
        byte[] file = Files.readAllBytes(lab.volumeFile(pc));
        assertEquals(0x3c, file[(1 << 20) - 1]);
        assertEquals(content[1 << 20], file[1 << 20], "nothing past the writes changed");
    }

    @Test
    void disconnectAnswersWhatIsInFlightThenClosesAndGivesTheVolumeBack() throws Exception {
        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), true)) {
            ByteBuffer burst = ByteBuffer.allocate(51 * 28);
            for (int i = 0; i < 50; i++) burst.put(read(i, (long) i * 65536, 65536).encode());
            burst.put(new Request(0, NbdProtocol.CMD_DISC, 77, 0, 0).encode());
            c.out.write(burst.array());
            c.out.flush();
            for (int i = 0; i < 50; i++) assertEquals(0, c.reply(0).error(), "reply " + i + " before the close");
            assertTrue(c.closedByServer());
        }
        assertTrue(released());
        assertTrue(lab.awaitEvent(BootEventType.NBD_DISCONNECT, "closed volume pc1-disk of client pc1 (NBD_CMD_DISC; 3276800 bytes read"),
                lab.events.toString());
        assertEquals(0, lab.dropped());
    }

    /**
     * NBD_CONNECT is recorded after NBD_OPT_GO's replies are made: with a slow timeline the client has
     * its ACK long before the server is done. What it sends then (here NBD_CMD_DISC and a hang-up, as
     * nbd-client -l sends NBD_OPT_ABORT and hangs up) is no message sent early, and is not counted.
     */
    @Test
    void aClientThatSpeaksAsSoonAsItHasItsAnswerIsNotCountedAsEarly() throws Exception {
        lab.eventMillis = 500;
        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), false)) {
            c.out.write(new Request(0, NbdProtocol.CMD_DISC, 1, 0, 0).encode());
            c.out.flush();
        }
        assertTrue(released());
        assertTrue(lab.awaitEvent(BootEventType.NBD_DISCONNECT, "closed volume pc1-disk"), lab.events.toString());
        assertEquals(0, lab.dropped(), "the client waited for its answer");
    }

    @Test
    void aClientThatGoesAwayGivesItsVolumeBackAndTheNextMayHaveIt() throws Exception {
        RawNbdClient first = RawNbdClient.open(port(), pc.volumeName(), true);
        IOException busy = assertThrows(IOException.class, () -> RawNbdClient.open(port(), pc.volumeName(), true));
        assertTrue(busy.getMessage().contains("80000002"), busy.getMessage()); // NBD_REP_ERR_POLICY
        assertTrue(busy.getMessage().contains("volume pc1-disk of client pc1 is in use by nbd://127.0.0.1:"), busy.getMessage());
        assertTrue(lab.awaitEvent(BootEventType.NBD_REFUSED, "is in use by nbd://127.0.0.1:"), lab.events.toString());
        first.close();
        assertTrue(released());
        assertTrue(lab.awaitEvent(BootEventType.NBD_DISCONNECT, "connection closed without NBD_CMD_DISC"), lab.events.toString());
        try (RawNbdClient next = RawNbdClient.open(port(), pc.volumeName(), true)) {
            assertEquals(SIZE, next.size);
        }
    }

    @Test
    void anotherAddressesVolumeIsRefusedAndNotListed() throws Exception {
        Client far = lab.addClient("pc2", "52:54:00:00:00:02", 1 << 20, "raw", "10.99.0.2");
        try (RawNbdClient c = RawNbdClient.handshake(port())) {
            List<RawNbdClient.OptionReply> list = c.option(NbdProtocol.OPT_LIST, new byte[0]);
            assertEquals(2, list.size(), "one export, then ACK");
            assertTrue(new String(list.get(0).data(), StandardCharsets.UTF_8).contains("pc1-disk"));
            RawNbdClient.OptionReply r = c.option(NbdProtocol.OPT_GO, RawNbdClient.goData(far.volumeName())).get(0);
            assertEquals(NbdProtocol.REP_ERR_UNKNOWN, r.type());
            assertEquals("export not available to this address", r.text(), "nothing of whose disk it is");
        }
        assertTrue(lab.awaitEvent(BootEventType.NBD_REFUSED, "volume pc2-disk is the disk of client pc2"));
        assertEquals("52:54:00:00:00:02", lab.events(BootEventType.NBD_REFUSED).get(0).mac(),
                "an unknown address's refusal lands on the client whose disk it asked for");
        lab.peers.learn(InetAddress.getLoopbackAddress(), far.mac()); // DHCP saw pc2 here now
        try (RawNbdClient c = RawNbdClient.open(port(), far.volumeName(), false)) {
            assertEquals(1 << 20, c.size);
        }
    }

    @Test
    void exportNameOfAVolumeInUseClosesTheConnectionWithoutCountingIt() throws Exception {
        try (RawNbdClient first = RawNbdClient.open(port(), pc.volumeName(), false);
             RawNbdClient c = RawNbdClient.handshake(port())) {
            c.out.write(new OptionRequest(NbdProtocol.OPT_EXPORT_NAME, pc.volumeName().getBytes(StandardCharsets.UTF_8)).encode());
            c.out.flush();
            assertTrue(c.closedByServer(), "EXPORT_NAME has no error reply: the server hangs up");
        }
        assertTrue(lab.awaitEvent(BootEventType.NBD_REFUSED, "in use"), lab.events.toString());
        assertEquals(0, lab.dropped(), "a refusal is no garbage");
    }

    @Test
    void aClientThatDoesNotReadIsHeldBackInsteadOfFillingMemory() throws Exception {
        int reads = 200;
        int length = 1 << 20;
        long before = usedDirectMemory();
        try (Socket probe = new Socket()) { // no use of the raw client's reader: this one must not read
            probe.setReceiveBufferSize(32 << 10);
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()));
        }
        try (RawNbdClient c = RawNbdClient.open(port(), pc.volumeName(), false)) {
            c.socket.setReceiveBufferSize(32 << 10);
            ByteBuffer burst = ByteBuffer.allocate(reads * 28);
            for (int i = 0; i < reads; i++) burst.put(read(i, (long) (i % 4) << 20, length).encode()); // 200 MiB asked for
            c.out.write(burst.array());
            c.out.flush();
            // 64 MiB in flight (until the replies reach the channel), the 16 MiB water mark and the allocator's chunk
            // slack: 70-79 MiB measured with two CPU burners beside the test. Before replies waiting for a busy event
            // loop were counted, such runs measured 79-197 MiB (CI once 99). A server that does not hold back reaches
            // the 200 MiB asked for; 128 MiB tells them apart.
            long bound = 128L << 20;
            long most = 0;
            for (int i = 0; i < 400 && lab.service.pausedConnections() == 0; i++) {
                Thread.sleep(25);
                most = Math.max(most, usedDirectMemory() - before);
            }
            Thread.sleep(300);
            most = Math.max(most, usedDirectMemory() - before);
            assertTrue(most <= bound, "direct memory grew by " + (most >> 20) + " MiB for a client that reads nothing");
            assertEquals(1, lab.service.pausedConnections(), "the connection waits for the client");
            for (int i = 0; i < reads; i++) assertEquals(0, c.reply(length).error(), "reply " + i);
            for (int i = 0; i < 200 && lab.service.pausedConnections() > 0; i++) Thread.sleep(25);
            assertEquals(0, lab.service.pausedConnections());
        }
    }

    @Test
    void aBusyPortSaysWhatToDo() throws Exception {
        NbdService second = new NbdService(new NbdSettings((InetAddress) null, port()),
                new ClientExportCatalog(lab.clients.directory(), lab.peers, lab.volumes, NbdLab.FULL_DHCP), BootEventSink.NONE, new InputErrors());
        IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
        assertTrue(e.getMessage().startsWith("NBD: port " + port() + "/tcp is in use by another program"), e.getMessage());
        assertTrue(e.getMessage().contains("--nbd-port"), e.getMessage());
        assertFalse(second.isRunning());
        assertTrue(lab.service.isRunning());
        lab.service.stop();
        assertFalse(lab.service.isRunning());
        lab.service.stop(); // twice is fine
    }

    private static long usedDirectMemory() {
        return ((io.netty.buffer.ByteBufAllocatorMetricProvider) io.netty.buffer.ByteBufAllocator.DEFAULT)
                .metric().usedDirectMemory();
    }
}
