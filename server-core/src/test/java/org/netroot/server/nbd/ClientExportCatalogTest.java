package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.testing.TestClock;
import org.netroot.server.storage.VolumeStore;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.VolumeRepository;

/**
 * Who may use which export: each client's volume at the address Netroot leased it or its reserved one
 * (full DHCP), at the address it booted from (proxy DHCP), no one else.
 */
class ClientExportCatalogTest {
    static final String PC1_MAC = "52:54:00:00:00:01";
    static final String PC2_MAC = "52:54:00:00:00:02";

    @TempDir
    Path dir;
    Database db;
    ClientRepository clients;
    VolumeStore volumes;
    final TestClock clock = new TestClock();
    final PeerDirectory peers = new PeerDirectory(clock);
    static final Duration LEASE = Duration.ofHours(12);
    /** Full DHCP mode, leases of {@link #LEASE}. */
    ClientExportCatalog catalog;
    /** Proxy DHCP mode: the router leases. */
    ClientExportCatalog proxy;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir);
        clients = new ClientRepository(db);
        volumes = new VolumeStore(dir, new VolumeRepository(db));
        catalog = new ClientExportCatalog(clients.directory(), peers, volumes, ClientAddressRule.fullDhcp(LEASE));
        proxy = new ClientExportCatalog(clients.directory(), peers, volumes, ClientAddressRule.otherServerLeases());
        volumes.create("pc1-disk", 1 << 20, "raw");
        volumes.create("pc2-disk", 2 << 20, "qcow2");
        clients.add(client("pc1", PC1_MAC, "pc1-disk", null));
        clients.add(client("pc2", PC2_MAC, "pc2-disk", "10.0.0.2"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Client client(String name, String mac, String volume, String reservedIp) {
        return new Client(name, mac, volume, BootMode.SANBOOT, null, null, null, null, null, reservedIp);
    }

    static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void aClientsVolumeIsItsAtItsReservedAddressOrWhereDhcpSawIt() throws Exception {
        ExportCatalog.Lookup reserved = catalog.find("pc2-disk", ip("10.0.0.2"));
        assertEquals(ExportCatalog.Status.FOUND, reserved.status());
        assertEquals(new NbdExport("pc2-disk", "pc2", PC2_MAC, 2 << 20, false, false), reserved.export());

        assertEquals(ExportCatalog.Status.REFUSED, catalog.find("pc1-disk", ip("10.0.0.1")).status(), "nothing seen yet");
        peers.learn(ip("10.0.0.1"), PC1_MAC);
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc1-disk", ip("10.0.0.1")).status(), "DHCP saw pc1 there");
        peers.learn(ip("10.0.0.1"), "52:54:00:00:00:77"); // the address went to another machine
        assertEquals(ExportCatalog.Status.REFUSED, catalog.find("pc1-disk", ip("10.0.0.1")).status());
    }

    @Test
    void aRefusalSaysWhereTheClientIsAndLandsOnTheAskersTimelineWhenKnown() throws Exception {
        peers.learn(ip("10.0.0.5"), PC1_MAC);
        ExportCatalog.Lookup fromStranger = catalog.find("pc1-disk", ip("10.0.0.9"));
        assertEquals(ExportCatalog.Status.REFUSED, fromStranger.status());
        assertTrue(fromStranger.reason().contains("which Netroot's DHCP leased 10.0.0.5, not 10.0.0.9"), fromStranger.reason());
        assertEquals(PC1_MAC, fromStranger.mac(), "an unknown address: most likely the client itself, elsewhere");
        ExportCatalog.Lookup fromPc2 = catalog.find("pc1-disk", ip("10.0.0.2"));
        assertTrue(fromPc2.reason().contains("its reserved address") || fromPc2.reason().contains("not 10.0.0.2"), fromPc2.reason());
        peers.learn(ip("10.0.0.3"), PC2_MAC);
        assertEquals(PC2_MAC, catalog.find("pc1-disk", ip("10.0.0.3")).mac(), "pc2 asked for pc1's disk: pc2's timeline");
        ExportCatalog.Lookup unseen = catalog.find("pc2-disk", ip("10.0.0.8"));
        assertTrue(unseen.reason().contains("its reserved address is 10.0.0.2"), unseen.reason());
    }

    @Test
    void inFullModeALeaseVouchesForItsLeaseTimeThenOnlyRenewalsOrUseKeepItUp() throws Exception {
        peers.learn(ip("10.0.0.1"), PC1_MAC);
        clock.advance(LEASE.minusMinutes(1));
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc1-disk", ip("10.0.0.1")).status());
        peers.learn(ip("10.0.0.1"), PC1_MAC); // the client renews at half time: seen again
        clock.advance(LEASE.minusMinutes(1));
        ExportCatalog.Lookup used = catalog.find("pc1-disk", ip("10.0.0.1"));
        assertEquals(ExportCatalog.Status.FOUND, used.status());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc1-disk", ip("10.0.0.1")).status(),
                "the lease ran out unrenewed (an nbdroot kernel never renews), but the disk was in use from there");
        clock.advance(ClientAddressRule.UNATTENDED.minusMinutes(10));
        catalog.used(used.export(), ip("10.0.0.1")); // its connection, every few minutes while in use
        clock.advance(Duration.ofMinutes(20));
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc1-disk", ip("10.0.0.1")).status(),
                "over an hour after the last lookup: the connection's use renewed the trust");
        clock.advance(ClientAddressRule.UNATTENDED.plusMinutes(1));
        ExportCatalog.Lookup expired = catalog.find("pc1-disk", ip("10.0.0.1"));
        assertEquals(ExportCatalog.Status.REFUSED, expired.status(), "no lease, no use for an hour: the address may be another's");
        assertTrue(expired.reason().contains("ran out"), expired.reason());
        peers.learn(ip("10.0.0.7"), PC1_MAC);
        catalog.find("pc1-disk", ip("10.0.0.7"));
        peers.learn(ip("10.0.0.7"), "52:54:00:00:00:77"); // its address went to another machine
        assertEquals(ExportCatalog.Status.REFUSED, catalog.find("pc1-disk", ip("10.0.0.7")).status(),
                "a vouch by use ends with the sighting");
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc2-disk", ip("10.0.0.2")).status(),
                "a reservation in full mode: no other MAC gets that address");
    }

    @Test
    void inProxyModeAReservationProvesNothingAndADhcpClaimOnlyOnceTheScriptCameFromThere() throws Exception {
        ExportCatalog.Lookup reserved = proxy.find("pc2-disk", ip("10.0.0.2"));
        assertEquals(ExportCatalog.Status.REFUSED, reserved.status(), "the router, not Netroot, leases 10.0.0.2");
        assertTrue(reserved.reason().contains("reserved addresses count in full DHCP mode only"), reserved.reason());

        // a forged REQUEST: pc1's chaddr, the attacker's address in option 50
        peers.learn(ip("10.0.0.66"), PC1_MAC);
        assertEquals(ExportCatalog.Status.REFUSED, proxy.find("pc1-disk", ip("10.0.0.66")).status(),
                "a broadcast claim alone opens no disk");
        assertTrue(proxy.visibleTo(ip("10.0.0.66")).isEmpty());
        assertEquals(ExportCatalog.Status.UNKNOWN, proxy.find("", ip("10.0.0.66")).status());

        peers.learn(ip("10.0.0.1"), PC1_MAC); // pc1 boots: its DHCP, then its script over TCP from there
        peers.scriptFetched(ip("10.0.0.1"), PC1_MAC);
        assertEquals(ExportCatalog.Status.FOUND, proxy.find("pc1-disk", ip("10.0.0.1")).status());
        peers.scriptFetched(ip("10.0.0.66"), PC1_MAC); // the script fetched from elsewhere vouches for nothing
        assertEquals(ExportCatalog.Status.REFUSED, proxy.find("pc1-disk", ip("10.0.0.66")).status());
        assertEquals(ExportCatalog.Status.FOUND, proxy.find("pc1-disk", ip("10.0.0.1")).status());
        peers.learn(ip("10.0.0.66"), PC1_MAC); // a forged claim after the boot: pc1's vouched address is gone
        assertEquals(ExportCatalog.Status.REFUSED, proxy.find("pc1-disk", ip("10.0.0.66")).status(),
                "the claimant still has no script fetched from its address");
    }

    @Test
    void withDhcpOffOnlyAReservedAddressCountsWhateverDhcpClaims() throws Exception {
        ClientExportCatalog off = new ClientExportCatalog(clients.directory(), peers, volumes,
                ClientAddressRule.reservedAddressesOnly());
        assertEquals(ExportCatalog.Status.FOUND, off.find("pc2-disk", ip("10.0.0.2")).status(),
                "the admin's reservation: the one word on where pc2 is with no DHCP of Netroot's");
        assertEquals(ExportCatalog.Status.REFUSED, off.find("pc2-disk", ip("10.0.0.9")).status());
        peers.learn(ip("10.0.0.1"), PC1_MAC);
        peers.scriptFetched(ip("10.0.0.1"), PC1_MAC);
        ExportCatalog.Lookup unreserved = off.find("pc1-disk", ip("10.0.0.1"));
        assertEquals(ExportCatalog.Status.REFUSED, unreserved.status(), "a sighting proves nothing without DHCP");
        assertTrue(unreserved.reason().contains("--ip ADDRESS"), "the refusal says how: " + unreserved.reason());
    }

    @Test
    void aForgerThatAlsoFetchesTheScriptIsRefusedWhenTheLinkShowsItsOwnMac() throws Exception {
        peers.checkingLinksWith(a -> a.getHostAddress().equals("10.0.0.66") ? java.util.Set.of("02:00:00:00:00:66")
                : java.util.Set.of());
        peers.learn(ip("10.0.0.66"), PC1_MAC); // a forged REQUEST: pc1's chaddr, the forger's address
        peers.scriptFetched(ip("10.0.0.66"), PC1_MAC); // and pc1's script fetched over TCP from that address
        ExportCatalog.Lookup proxied = proxy.find("pc1-disk", ip("10.0.0.66"));
        assertEquals(ExportCatalog.Status.REFUSED, proxied.status());
        assertTrue(proxied.reason().contains("shows another machine (02:00:00:00:00:66)"), proxied.reason());
        assertEquals(ExportCatalog.Status.REFUSED, catalog.find("pc1-disk", ip("10.0.0.66")).status(),
                "full mode: the forged lease is no better");
        peers.learn(ip("10.0.0.1"), PC1_MAC); // the real pc1, whose address the table has no entry for
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc1-disk", ip("10.0.0.1")).status(),
                "only a contradiction refuses; no entry changes nothing");
        peers.checkingLinksWith(a -> java.util.Set.of(PC1_MAC));
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc1-disk", ip("10.0.0.1")).status(), "nor does its own MAC");
    }

    @Test
    void inProxyModeTheBootAddressExpiresAnHourAfterItsLastUse() throws Exception {
        peers.learn(ip("10.0.0.1"), PC1_MAC);
        peers.scriptFetched(ip("10.0.0.1"), PC1_MAC);
        clock.advance(Duration.ofMinutes(50));
        ExportCatalog.Lookup used = proxy.find("pc1-disk", ip("10.0.0.1"));
        assertEquals(ExportCatalog.Status.FOUND, used.status(), "its initramfs connects");
        clock.advance(Duration.ofHours(30)); // a connection of a day and more ends
        proxy.used(used.export(), ip("10.0.0.1"));
        clock.advance(Duration.ofMinutes(59));
        assertEquals(ExportCatalog.Status.FOUND, proxy.find("pc1-disk", ip("10.0.0.1")).status(), "it reconnects");
        clock.advance(Duration.ofMinutes(61));
        assertEquals(ExportCatalog.Status.REFUSED, proxy.find("pc1-disk", ip("10.0.0.1")).status(),
                "an hour unused: it boots again first");
        peers.scriptFetched(ip("10.0.0.1"), PC1_MAC);
        assertEquals(ExportCatalog.Status.REFUSED, proxy.find("pc1-disk", ip("10.0.0.1")).status(),
                "a script fetch without a fresh DHCP sighting vouches for nothing");
    }

    @Test
    void unknownNamesAndTheDefaultExport() throws Exception {
        ExportCatalog.Lookup none = catalog.find("nobody\n-disk", ip("10.0.0.2"));
        assertEquals(ExportCatalog.Status.UNKNOWN, none.status());
        assertTrue(none.reason().contains("no client boots a volume named nobody?-disk"), "no control characters: " + none.reason());
        assertEquals("pc2-disk", catalog.find("", ip("10.0.0.2")).export().name(), "the empty name: the address's own volume");
        assertEquals(ExportCatalog.Status.UNKNOWN, catalog.find("", ip("10.0.0.9")).status());
        volumes.create("pc3-disk", 1 << 20, "raw");
        clients.add(client("pc3", "52:54:00:00:00:03", "pc3-disk", null));
        peers.learn(ip("10.0.0.2"), "52:54:00:00:00:03"); // pc3 seen at pc2's reserved address: two volumes there
        ExportCatalog.Lookup two = catalog.find("", ip("10.0.0.2"));
        assertEquals(ExportCatalog.Status.UNKNOWN, two.status());
        assertTrue(two.reason().contains("may use 2 volumes (pc2-disk, pc3-disk): name one"), two.reason());
    }

    @Test
    void theListShowsAnAddressItsOwnVolumesOnlyASharedOneOnceGoldenReadOnly() throws Exception {
        assertEquals(List.of("pc2-disk"), catalog.visibleTo(ip("10.0.0.2")).stream().map(NbdExport::name).toList());
        assertEquals(List.of(), catalog.visibleTo(ip("10.0.0.9")));
        volumes.create("quorum", 1 << 20, "raw");
        volumes.share("quorum", true);
        clients.add(client("node1", "52:54:00:00:00:11", "quorum", "10.0.1.1"));
        clients.add(client("node2", "52:54:00:00:00:12", "quorum", null));
        peers.learn(ip("10.0.1.1"), "52:54:00:00:00:12"); // both nodes' volume at one address: listed once
        List<NbdExport> both = catalog.visibleTo(ip("10.0.1.1"));
        assertEquals(1, both.size(), both.toString());
        assertTrue(both.get(0).shared());
        volumes.create("base", 1 << 20, "raw");
        volumes.makeGolden("base");
        clients.add(client("kiosk", "52:54:00:00:00:21", "base", "10.0.2.1"));
        NbdExport golden = catalog.find("base", ip("10.0.2.1")).export();
        assertTrue(golden.readOnly(), "a golden image is exported read-only");
        assertFalse(catalog.find("pc2-disk", ip("10.0.0.2")).export().readOnly());
    }

    @Test
    void aClientWithChapIsServedOverIscsiOnlyUnlessItsKernelMountsItsRootOverNbd() throws Exception {
        volumes.create("pc3-disk", 1 << 20, "raw");
        Client chap = client("pc3", "52:54:00:00:00:03", "pc3-disk", "10.0.0.3").withGeneratedChap();
        clients.add(chap);
        ExportCatalog.Lookup refused = catalog.find("pc3-disk", ip("10.0.0.3"));
        assertEquals(ExportCatalog.Status.REFUSED, refused.status(), "its own address is not enough: NBD cannot check CHAP");
        assertTrue(refused.reason().contains("logs in with CHAP"), refused.reason());
        assertTrue(catalog.visibleTo(ip("10.0.0.3")).isEmpty(), "not listed either");

        clients.update(chap.withBoot(BootMode.KERNEL, org.netroot.server.api.BootOptions.NONE
                .withKernel(new org.netroot.server.api.KernelBoot("vmlinuz", "initrd", "nbd-root console=ttyS0"))));
        assertEquals(ExportCatalog.Status.FOUND, catalog.find("pc3-disk", ip("10.0.0.3")).status(),
                "a kernel that mounts its root over NBD gets it");
        assertEquals(ExportCatalog.Status.REFUSED, catalog.find("pc3-disk", ip("10.0.0.9")).status(), "still only at its address");
    }
}
