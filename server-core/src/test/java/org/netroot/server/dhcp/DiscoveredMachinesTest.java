package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.DiscoveredMachine;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.Database;

/** A PXE request from a MAC no client has is remembered, from real request bytes through the responder. */
class DiscoveredMachinesTest {
    static final String STRANGER = "52:54:00:00:00:77";
    static final String KNOWN = "52:54:00:00:00:01";
    static final ServedInterface BR0 = new ServedInterface("br0", DhcpPacket.ipv4("198.18.0.1"), 24);
    static final Arrival ON_67 = new Arrival(BR0, 67, new InetSocketAddress("0.0.0.0", 68));

    @TempDir Path tmp;

    @Test
    void aPxeRequestFromAnUnknownMacIsListedUntilAClientTakesIt() throws Exception {
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        for (String f : List.of("undionly.kpxe", "snponly.efi", "ipxe.efi")) Files.write(ipxe.resolve(f), new byte[1]);
        try (Database db = Database.open(tmp.resolve("data"));
             LocalControl control = new LocalControl(db, false, tmp.resolve("data"), ServerStatus::offline)) {
            control.addClient(Client.sanboot("known", KNOWN, null));
            List<ChangeEvent> changes = new CopyOnWriteArrayList<>();
            control.changes().subscribe(0, changes::add);
            RecordedEvents events = new RecordedEvents();
            BootFileChooser chooser = new BootFileChooser(IpxeBinaries.scan(ipxe), 80);
            DhcpResponder responder = new DhcpResponder(DhcpMode.PROXY, new ProxyDhcpResponder(chooser, events, 67,
                    4011), null, events, new PeerDirectory(), new InputErrors(), 4011, control.discovery());

            assertTrue(responder.handle(ClientPackets.ovmfX64(STRANGER, 1).buffer(), ON_67).isPresent());
            responder.handle(ClientPackets.biosFirmware(KNOWN, 1).buffer(), ON_67);
            responder.handle(ClientPackets.plainLinux("52:54:00:00:00:88", 1).buffer(), ON_67);

            List<DiscoveredMachine> found = awaitDiscovered(control, 1);
            assertEquals(1, found.size(), "only the PXE request from the unknown MAC: " + found);
            DiscoveredMachine m = found.get(0);
            assertEquals(STRANGER, m.mac());
            assertEquals(7, m.architecture(), "option 93: x64 UEFI");
            assertEquals(ClientPackets.OVMF_VENDOR, m.vendorClass());
            assertEquals("br0", m.interfaceName());
            assertEquals(m.firstSeen(), m.lastSeen());
            long deadline = System.currentTimeMillis() + 5_000;
            while (changes.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertEquals(ChangeType.DISCOVERED_SEEN, changes.get(changes.size() - 1).type());

            control.addClient(Client.sanboot("stranger", STRANGER, null));
            assertTrue(control.discoveredMachines().isEmpty(), "a client now has that MAC");
            assertTrue(changes.stream().anyMatch(c -> c.type() == ChangeType.DISCOVERED_FORGOTTEN));
        }
    }

    @Test
    void aDiscoveredMachineCanBeForgotten() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"));
             LocalControl control = new LocalControl(db, false, tmp.resolve("data"), ServerStatus::offline)) {
            control.discovery().seen(STRANGER, 0, ClientPackets.BIOS_VENDOR, "eth1");
            assertEquals(1, awaitDiscovered(control, 1).size());
            control.forgetDiscovered("52-54-00-00-00-77");
            assertTrue(control.discoveredMachines().isEmpty());
        }
    }

    @Test
    void grantedAndReleasedLeasesAreAnnounced() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"));
             org.netroot.server.store.StoreWriter writer = new org.netroot.server.store.StoreWriter()) {
            org.netroot.server.events.ChangeFeed feed = new org.netroot.server.events.ChangeFeed();
            List<ChangeEvent> changes = new CopyOnWriteArrayList<>();
            feed.subscribe(0, changes::add);
            AddressPool pool = new AddressPool(DhcpPacket.ipv4("198.18.0.100"), DhcpPacket.ipv4("198.18.0.102"),
                    new org.netroot.server.store.LeaseRepository(db), writer, db.clientDirectory(), java.time.Clock.systemUTC());
            pool.publishTo(feed);
            RecordedEvents events = new RecordedEvents();
            BootFileChooser chooser = new BootFileChooser(IpxeBinaries.scan(tmp), 80);
            DhcpResponder responder = new DhcpResponder(DhcpMode.FULL, new ProxyDhcpResponder(chooser, events, 67, 4011),
                    new FullDhcpResponder(pool, chooser, events, new PeerDirectory(), null, List.of(), 600, 67, 4011),
                    events, new PeerDirectory(), new InputErrors(), 4011);
            responder.handle(ClientPackets.plainLinux(STRANGER, 3).address(50, "198.18.0.100").buffer(), ON_67)
                    .orElseThrow();
            responder.handle(ClientPackets.plainLinux(STRANGER, 7).ciaddr("198.18.0.100").address(54, "198.18.0.1")
                    .buffer(), ON_67);
            long deadline = System.currentTimeMillis() + 5_000; // announced once the writer thread stored them
            while (changes.size() < 2 && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertEquals(List.of(ChangeType.LEASE_GRANTED, ChangeType.LEASE_RELEASED),
                    changes.stream().map(ChangeEvent::type).toList());
            assertEquals("198.18.0.100", changes.get(0).payloadAs(org.netroot.server.api.Lease.class).ip());
            assertEquals(STRANGER, changes.get(1).subject());
        }
    }

    private static List<DiscoveredMachine> awaitDiscovered(LocalControl control, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (control.discoveredMachines().size() < n && System.currentTimeMillis() < deadline) Thread.sleep(10);
        return control.discoveredMachines();
    }
}
