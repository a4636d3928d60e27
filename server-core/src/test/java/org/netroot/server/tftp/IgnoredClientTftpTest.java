package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallPhases;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/** TFTP serves a machine in boot mode ignore nothing, not even an error; and names every client's mode. */
class IgnoredClientTftpTest {
    static final String MAC = "52:54:00:12:34:57";
    @TempDir Path root;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();
    final PeerDirectory peers = new PeerDirectory();
    final AtomicReference<Client> client = new AtomicReference<>();
    TftpService service;

    @BeforeEach
    void start() throws Exception {
        Files.write(root.resolve("undionly.kpxe"), new byte[100]);
        peers.learn(InetAddress.getLoopbackAddress(), MAC);
        BootPlanner planner = new BootPlanner(mac -> Optional.ofNullable(client.get()).filter(c -> c.mac().equals(mac)),
                AssetCatalog.EMPTY, InstallPhases.NONE, 3260);
        // a served transfer whose ACK a loaded machine holds back past timeout x (retries + 1) ends in an ERROR,
        // not BOOT_FILE_SENT: 600 ms was too short a margin; an ignored request is not answered at any timeout
        service = new TftpService(new TftpSettings(InetAddress.getLoopbackAddress(), 0, List.of(root),
                Duration.ofSeconds(2), 2), events::add, peers, new InputErrors()).plannedBy(planner);
        service.start();
    }

    @AfterEach
    void stop() {
        service.stop();
    }

    private RawTftpPeer.Received ask(RawTftpPeer peer) throws Exception {
        peer.send(new TftpPacket.ReadRequest("undionly.kpxe", "octet", Map.of()), service.port());
        return peer.receiveAnyWithin(1000);
    }

    @Test
    void anIgnoredMachineGetsNoAnswerAndOneTimelineEntry() throws Exception {
        client.set(Client.sanboot("pc", MAC, "v").withBoot(BootMode.IGNORE, null));
        try (RawTftpPeer peer = new RawTftpPeer()) {
            assertNull(ask(peer), "no DATA, no ERROR");
            assertNull(ask(peer), "asked again: still nothing");
        }
        assertEquals(1, events.stream().filter(e -> e.type() == BootEventType.IGNORED).count(), "" + events);
        assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.ERROR), "" + events);
    }

    @Test
    void anyOtherModeIsServedAndNamedInTheBootEvent() throws Exception {
        client.set(Client.sanboot("pc", MAC, "v").withBoot(BootMode.LOCAL, null));
        try (RawTftpPeer peer = new RawTftpPeer()) {
            RawTftpPeer.Received r = ask(peer);
            TftpPacket.Data data = assertInstanceOf(TftpPacket.Data.class, r.packet());
            peer.send(new TftpPacket.Ack(data.block()), r.from().getPort());
        }
        for (int i = 0; i < 250 && events.stream().noneMatch(e -> e.type() == BootEventType.BOOT_FILE_SENT); i++) { // 5 s
            Thread.sleep(20);
        }
        BootEvent sent = events.stream().filter(e -> e.type() == BootEventType.BOOT_FILE_SENT).findFirst().orElseThrow();
        assertEquals("tftp undionly.kpxe blksize=512 windowsize=1, boot mode local", sent.detail());
    }
}
