package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallPhases;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.StoreWriter;

/**
 * Boot modes at the DHCP level, on bytes: a client in mode ignore gets no answer at all to a network
 * boot request, in proxy and full mode, on port 67 and 4011; one in mode local still gets iPXE (whose
 * script then exits), and everyone else is served as before.
 */
class IgnoredClientDhcpTest {
    static final String IGNORED = "52:54:00:00:0a:01";
    static final String LOCAL = "52:54:00:00:0a:02";
    static final String OTHER = "52:54:00:00:0a:03";
    static final ServedInterface BR0 = new ServedInterface("br0", DhcpPacket.ipv4("198.18.0.1"), 24);
    static final Arrival ON_67 = new Arrival(BR0, 67, new InetSocketAddress("0.0.0.0", 68));
    static final Arrival ON_4011 = new Arrival(BR0, 4011, new InetSocketAddress("198.18.0.77", 68));

    @TempDir Path data;
    @TempDir Path ipxe;
    Database db;
    final StoreWriter writer = new StoreWriter();
    final RecordedEvents events = new RecordedEvents();
    final InputErrors errors = new InputErrors();
    DhcpResponder proxy;
    DhcpResponder full;

    @BeforeEach
    void setUp() throws Exception {
        for (String f : List.of("undionly.kpxe", "snponly.efi")) Files.write(ipxe.resolve(f), new byte[1]);
        db = Database.open(data);
        ClientRepository clients = new ClientRepository(db);
        clients.add(Client.sanboot("ignored", IGNORED, null).withBoot(BootMode.IGNORE, null));
        clients.add(Client.sanboot("local", LOCAL, null).withBoot(BootMode.LOCAL, null));
        BootPlanner planner = new BootPlanner(db.clientDirectory()::byMac, AssetCatalog.EMPTY, InstallPhases.NONE, 3260);
        BootFileChooser chooser = new BootFileChooser(IpxeBinaries.scan(ipxe), planner, 80);
        proxy = new DhcpResponder(DhcpMode.PROXY, new ProxyDhcpResponder(chooser, events, 67, 4011), null, events,
                new PeerDirectory(), errors, 4011);
        AddressPool pool = new AddressPool(DhcpPacket.ipv4("198.18.0.100"), DhcpPacket.ipv4("198.18.0.110"),
                new LeaseRepository(db), writer, db.clientDirectory(), Clock.systemUTC());
        full = new DhcpResponder(DhcpMode.FULL, new ProxyDhcpResponder(chooser, events, 67, 4011),
                new FullDhcpResponder(pool, chooser, events, new PeerDirectory(), null, List.of(), 600, 67, 4011), events,
                new PeerDirectory(), errors, 4011);
    }

    @AfterEach
    void tearDown() {
        writer.close();
        db.close();
    }

    private static Optional<DhcpReply> send(DhcpResponder r, ClientPackets p, Arrival on) {
        return r.handle(p.buffer(), on);
    }

    @Test
    void proxyModeSaysNothingToAnIgnoredMachineOnEitherPort() throws Exception {
        for (ClientPackets p : List.of(ClientPackets.biosFirmware(IGNORED, 1), ClientPackets.ovmfX64(IGNORED, 1),
                ClientPackets.biosIpxeRom(IGNORED, 1), ClientPackets.httpBoot(IGNORED, 1))) {
            assertEquals(Optional.empty(), send(proxy, p, ON_67));
        }
        assertEquals(Optional.empty(), send(proxy, ClientPackets.ovmfX64(IGNORED, 3), ON_4011));
        assertTrue(events.last(BootEventType.IGNORED).detail().contains("client ignored is in boot mode ignore"),
                events.last(BootEventType.IGNORED).detail());
        assertTrue(events.types().stream().noneMatch(t -> t == BootEventType.PROXY_OFFER || t == BootEventType.PROXY_ACK
                || t == BootEventType.ERROR), "not a failure, and nothing offered: " + events.types());
        assertTrue(errors.snapshot().values().stream().allMatch(n -> n == 0), "on purpose, not dropped input");
        DhcpPacket other = DhcpPacket.parse(send(proxy, ClientPackets.biosFirmware(OTHER, 1), ON_67).orElseThrow()
                .packet().encode());
        assertEquals("undionly.kpxe", other.file(), "a machine that is no client's is served as before");
    }

    @Test
    void fullModeOffersAnIgnoredMachineNeitherBootFileNorAddressButLeasesItsInstalledSystem() throws Exception {
        assertEquals(Optional.empty(), send(full, ClientPackets.biosFirmware(IGNORED, 1), ON_67));
        assertEquals(Optional.empty(), send(full, ClientPackets.biosFirmware(IGNORED, 3).address(50, "198.18.0.100")
                .address(54, "198.18.0.1"), ON_67));
        assertEquals(BootEventType.IGNORED, events.events.getLast().type());
        // the OS it boots from its own disk asks as a plain DHCP client: that is no network boot
        DhcpPacket plain = DhcpPacket.parse(send(full, ClientPackets.plainLinux(IGNORED, 1), ON_67).orElseThrow()
                .packet().encode());
        assertEquals(DhcpMessageType.OFFER, plain.messageType());
        assertEquals("", plain.file());
    }

    @Test
    void aLocalClientStillGetsIpxeWhoseScriptExits() throws Exception {
        DhcpPacket firmware = DhcpPacket.parse(send(proxy, ClientPackets.biosFirmware(LOCAL, 1), ON_67).orElseThrow()
                .packet().encode());
        assertEquals("undionly.kpxe", firmware.file());
        DhcpPacket ipxeRom = DhcpPacket.parse(send(full, ClientPackets.biosIpxeRom(LOCAL, 1), ON_67).orElseThrow()
                .packet().encode());
        assertEquals("http://198.18.0.1/boot/" + LOCAL + ".ipxe", ipxeRom.file());
    }
}
