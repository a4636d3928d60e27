package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/** The service on a loopback socket, spoken to byte by byte (real clients: {@link TftpRealClientsTest}). */
class TftpServiceTest {
    static final String MAC = "52:54:00:12:34:56";

    @TempDir Path root;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();
    final InputErrors errors = new InputErrors();
    final PeerDirectory peers = new PeerDirectory();
    TftpService service;
    byte[] small;

    @BeforeEach
    void start() throws Exception {
        small = new byte[1300];
        new Random(7).nextBytes(small);
        Files.write(root.resolve("small.bin"), small);
        peers.learn(InetAddress.getLoopbackAddress(), MAC);
        // a lock-step test client the scheduler holds back past the server's timeout times (retries + 1) loses its
        // transfer: at 200 ms that is 600 ms, a stall a loaded 2-CPU CI machine can have; tests about retransmission
        // itself set their own short timeout
        TftpSettings settings = new TftpSettings(InetAddress.getLoopbackAddress(), 0, List.of(root), Duration.ofSeconds(2), 2);
        service = newService(settings);
        service.start();
    }

    /** The default socket layer (epoll on Linux); {@link TftpServiceNioTest} runs the same tests on NIO. */
    TftpService newService(TftpSettings settings) {
        return new TftpService(settings, events::add, peers, errors);
    }

    @AfterEach
    void stop() {
        service.stop();
    }

    private static TftpPacket.ReadRequest rrq(String name, Map<String, String> options) {
        return new TftpPacket.ReadRequest(name, "octet", options);
    }

    private BootEvent awaitEvent(Predicate<BootEvent> wanted) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (BootEvent e : events) if (wanted.test(e)) return e;
            Thread.sleep(50);
        }
        throw new AssertionError("no such event; got " + events);
    }

    private void restartWithTimeout(Duration timeout) throws Exception {
        service.stop();
        service = newService(new TftpSettings(InetAddress.getLoopbackAddress(), 0, List.of(root), timeout, 2));
        service.start();
    }

    /** A lock-step RFC 1350 client: returns the file. */
    private byte[] fetch(RawTftpPeer peer, String name) throws Exception {
        peer.send(rrq(name, Map.of()), service.port());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            RawTftpPeer.Received r = peer.receive();
            assertNotEquals(service.port(), r.from().getPort(), "DATA must come from the transfer's own port (TID)");
            TftpPacket.Data data = assertInstanceOf(TftpPacket.Data.class, r.packet());
            out.writeBytes(data.payload());
            peer.send(new TftpPacket.Ack(data.block()), r.from().getPort());
            if (data.payload().length < 512) return out.toByteArray();
        }
    }

    @Test
    void servesAFileAndRecordsTheTransferWithTheMac() throws Exception {
        try (RawTftpPeer peer = new RawTftpPeer()) {
            assertArrayEquals(small, fetch(peer, "small.bin"));
        }
        BootEvent sent = awaitEvent(e -> e.type() == BootEventType.BOOT_FILE_SENT);
        assertEquals("tftp small.bin blksize=512 windowsize=1", sent.detail());
        assertEquals(MAC, sent.mac());
        assertEquals(1300L, sent.bytes());
        assertTrue(sent.durationMs() >= 0);
    }

    /**
     * A client slower than the server's timeout gets each block twice or more; a lock-step reader
     * skips the copies and ACKs each block once (the service tests rely on this under load).
     */
    @Test
    void aSlowLockStepClientSkipsRetransmittedBlocks() throws Exception {
        service.stop();
        // 50 retries: the transfer survives a stall of seconds on a loaded machine on top of the 250 ms sleeps below
        service = newService(new TftpSettings(InetAddress.getLoopbackAddress(), 0, List.of(root), Duration.ofMillis(100), 50));
        service.start();
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(rrq("small.bin", Map.of("blksize", "512")), service.port());
            RawTftpPeer.Received oack = peer.receive();
            assertInstanceOf(TftpPacket.OptionAck.class, oack.packet());
            Thread.sleep(250); // the OACK is sent again meanwhile
            peer.send(new TftpPacket.Ack(0), oack.from().getPort());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int block = 1; ; block++) {
                TftpPacket.Data data = assertInstanceOf(TftpPacket.Data.class, peer.receive().packet(),
                        "a retransmitted OACK or block must not be taken for the next block");
                assertEquals(block, data.block());
                out.writeBytes(data.payload());
                Thread.sleep(250); // late: the block is sent again before this ACK
                peer.send(new TftpPacket.Ack(block), oack.from().getPort());
                if (data.payload().length < 512) break;
            }
            assertArrayEquals(small, out.toByteArray());
            assertTrue(peer.skippedRetransmissions() >= 4, "retransmissions seen: " + peer.skippedRetransmissions());
        }
        awaitEvent(e -> e.type() == BootEventType.BOOT_FILE_SENT);
    }

    @Test
    void garbageIsCountedAndTheNextRequestIsServed() throws Exception {
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(new byte[0], service.port());
            peer.send(new byte[] {0}, service.port());
            peer.send(new byte[] {0, 1, 'x', 'y'}, service.port());          // RRQ without terminators
            peer.send(new byte[] {0, 4, 0, 1}, service.port());              // ACK on the request port
            peer.send("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), service.port());
            assertArrayEquals(small, fetch(peer, "small.bin"));
            assertNull(peer.receiveWithin(100), "garbage is never answered");
        }
        assertEquals(5, errors.count("TFTP"));
    }

    @Test
    void garbageOnATransferPortIsCountedAndTheTransferGoesOn() throws Exception {
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(rrq("small.bin", Map.of()), service.port());
            RawTftpPeer.Received first = peer.receive();
            peer.send(new byte[] {0, 4, 0}, first.from().getPort());
            peer.send(new TftpPacket.Ack(1), first.from().getPort());
            TftpPacket.Data second = assertInstanceOf(TftpPacket.Data.class, peer.receive().packet());
            assertEquals(2, second.block());
            peer.send(new TftpPacket.Ack(2), first.from().getPort());
            assertEquals(3, ((TftpPacket.Data) peer.receive().packet()).block());
            peer.send(new TftpPacket.Ack(3), first.from().getPort());
        }
        assertEquals(1, errors.count("TFTP"));
        awaitEvent(e -> e.type() == BootEventType.BOOT_FILE_SENT);
    }

    @Test
    void aRepeatedRequestDoesNotStartASecondTransfer() throws Exception {
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(rrq("small.bin", Map.of("blksize", "1024")), service.port());
            peer.send(rrq("small.bin", Map.of("blksize", "1024")), service.port());
            RawTftpPeer.Received oack = peer.receive();
            assertInstanceOf(TftpPacket.OptionAck.class, oack.packet());
            assertNull(peer.receiveWithin(100), "one OACK, from one TID");
            peer.send(new TftpPacket.Ack(0), oack.from().getPort());
            assertEquals(1, ((TftpPacket.Data) peer.receive().packet()).block());
            // a different request from the same client is a new transfer (UEFI: the probe, then the real read)
            peer.send(rrq("small.bin", Map.of("tsize", "0")), service.port());
            RawTftpPeer.Received second = peer.receive();
            assertInstanceOf(TftpPacket.OptionAck.class, second.packet());
            assertNotEquals(oack.from().getPort(), second.from().getPort());
        }
    }

    @Test
    void oneAddressGetsAtMostEightTransfersAtOnce() throws Exception {
        restartWithTimeout(Duration.ofSeconds(10)); // the eight must still be running when the ninth asks
        List<RawTftpPeer> holders = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < TftpService.MAX_TRANSFERS_PER_ADDRESS; i++) {
                RawTftpPeer p = new RawTftpPeer();
                holders.add(p);
                p.send(rrq("small.bin", Map.of()), service.port());
                assertInstanceOf(TftpPacket.Data.class, p.receive().packet()); // running, waiting for ACK 1
            }
            try (RawTftpPeer ninth = new RawTftpPeer()) {
                ninth.send(rrq("small.bin", Map.of()), service.port());
                TftpPacket.Error error = assertInstanceOf(TftpPacket.Error.class, ninth.receive().packet());
                assertEquals(TftpPacket.Error.NOT_DEFINED, error.code());
                assertEquals("too many transfers", error.message());
            }
            awaitEvent(e -> e.type() == BootEventType.ERROR && e.detail().contains("too many transfers"));
        } finally {
            holders.forEach(RawTftpPeer::close);
        }
    }

    @Test
    void aRequestRepeatedAfterTheClientAcknowledgedStartsTheTransferOver() throws Exception {
        restartWithTimeout(Duration.ofSeconds(2));
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(rrq("small.bin", Map.of()), service.port());
            RawTftpPeer.Received first = peer.receive();
            int oldPort = first.from().getPort();
            assertEquals(1, ((TftpPacket.Data) first.packet()).block());
            peer.send(new TftpPacket.Ack(1), oldPort);
            assertEquals(2, ((TftpPacket.Data) peer.receive().packet()).block());
            // the firmware gave up on its side and asks again from the same port: it wants block 1, not 3
            peer.send(rrq("small.bin", Map.of()), service.port());
            RawTftpPeer.Received r = peer.receive();
            assertNotEquals(oldPort, r.from().getPort(), "a new transfer, from a new TID");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int expected = 1;
            while (true) {
                TftpPacket.Data data = assertInstanceOf(TftpPacket.Data.class, r.packet());
                assertEquals(expected++, data.block());
                out.writeBytes(data.payload());
                peer.send(new TftpPacket.Ack(data.block()), r.from().getPort());
                if (data.payload().length < 512) break;
                r = peer.receive();
            }
            assertArrayEquals(small, out.toByteArray());
            assertNull(peer.receiveWithin(300), "the old transfer was closed, nothing more from it");
        }
        awaitEvent(e -> e.type() == BootEventType.BOOT_FILE_SENT);
        assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.ERROR), "a restart is not an error: " + events);
        assertEquals(0, service.activeTransfers());
    }

    @Test
    void aFailureOnTheRequestPathIsCountedAndTheNextRequestIsServed() throws Exception {
        service.stop();
        // the event sink failing while a refusal is recorded: a RuntimeException inside request handling
        service = new TftpService(new TftpSettings(InetAddress.getLoopbackAddress(), 0, List.of(root),
                Duration.ofSeconds(2), 2), e -> {
                    if (e.type() == BootEventType.ERROR) throw new IllegalStateException("event store down");
                    events.add(e);
                }, peers, errors);
        service.start();
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(rrq("missing.efi", Map.of()), service.port());
            assertArrayEquals(small, fetch(peer, "small.bin"));
        }
        assertEquals(1, errors.count("TFTP"));
    }

    @Test
    void writesAreRefusedWithAccessViolation() throws Exception {
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(new TftpPacket.WriteRequest("evil.bin", "octet", Map.of()), service.port());
            TftpPacket.Error error = assertInstanceOf(TftpPacket.Error.class, peer.receive().packet());
            assertEquals(TftpPacket.Error.ACCESS_VIOLATION, error.code());
        }
        assertFalse(Files.exists(root.resolve("evil.bin")));
        awaitEvent(e -> e.type() == BootEventType.ERROR && e.detail().contains("evil.bin"));
    }

    @Test
    void traversalIsRefusedAndMissingFilesAreNotFound() throws Exception {
        try (RawTftpPeer peer = new RawTftpPeer()) {
            for (String name : List.of("../../etc/passwd", "/etc/passwd", "..\\..\\etc\\passwd", "//etc/passwd")) {
                peer.send(rrq(name, Map.of()), service.port());
                TftpPacket.Error error = assertInstanceOf(TftpPacket.Error.class, peer.receive().packet(), name);
                assertEquals(TftpPacket.Error.ACCESS_VIOLATION, error.code(), name);
            }
            peer.send(rrq("missing.efi", Map.of()), service.port());
            assertEquals(TftpPacket.Error.FILE_NOT_FOUND, ((TftpPacket.Error) peer.receive().packet()).code());
        }
        BootEvent refused = awaitEvent(e -> e.type() == BootEventType.ERROR && e.detail().contains("../../etc/passwd"));
        assertEquals(MAC, refused.mac());
        assertTrue(refused.detail().contains("access violation"), refused.detail());
    }

    @Test
    void uefiSizeProbeIsRecordedAsAProbe() throws Exception {
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(rrq("small.bin", Map.of("tsize", "0")), service.port());
            RawTftpPeer.Received oack = peer.receive();
            assertEquals(Map.of("tsize", "1300"), assertInstanceOf(TftpPacket.OptionAck.class, oack.packet()).options());
            peer.send(new TftpPacket.Error(8, "probe done"), oack.from().getPort());
        }
        BootEvent probe = awaitEvent(e -> e.type() == BootEventType.TFTP_PROBE);
        assertTrue(probe.detail().contains("small.bin"));
        assertTrue(probe.detail().contains("tsize=1300"));
        Thread.sleep(300);
        assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.ERROR), "a probe is not an error: " + events);
    }

    @Test
    void silenceIsAnsweredByRetransmissionsThenGivenUp() throws Exception {
        restartWithTimeout(Duration.ofMillis(200));
        try (RawTftpPeer peer = new RawTftpPeer()) {
            peer.send(rrq("small.bin", Map.of()), service.port());
            TftpPacket.Data first = (TftpPacket.Data) peer.receiveAny().packet();
            TftpPacket.Data again = (TftpPacket.Data) peer.receiveAny().packet(); // after the 200 ms timeout
            assertEquals(1, again.block());
            assertArrayEquals(first.payload(), again.payload());
            peer.receiveAny(); // retry 2
            assertNull(peer.receiveAnyWithin(600), "retransmissions are bounded");
        }
        BootEvent gaveUp = awaitEvent(e -> e.type() == BootEventType.ERROR);
        assertTrue(gaveUp.detail().contains("stopped answering"), gaveUp.detail());
        assertEquals(0, service.activeTransfers());
    }

    @Test
    void aPortInUseIsNamedInTheError() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            TftpSettings settings = new TftpSettings(InetAddress.getLoopbackAddress(), taken.getLocalPort(), List.of(root), Duration.ofSeconds(1), 2);
            TftpService second = new TftpService(settings, events::add, peers, errors);
            Exception e = assertThrows(Exception.class, second::start);
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("--tftp-port"), e.getMessage());
            assertFalse(second.isRunning());
        }
    }

    @Test
    void stopClosesTheRequestPort() throws Exception {
        int port = service.port();
        service.stop();
        assertFalse(service.isRunning());
        try (DatagramSocket rebind = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertEquals(port, rebind.getLocalPort());
        }
    }
}
