package org.netroot.server.dhcp;

import org.netroot.server.boot.IpxeBinaries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.testing.TestClock;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.StoreWriter;

/** Full mode on bytes, leases in a real H2 database. */
class FullDhcpTest {
    static final String PC1 = "52:54:00:00:01:01";
    static final String PC2 = "52:54:00:00:01:02";
    static final ServedInterface BR0 = new ServedInterface("br0", DhcpPacket.ipv4("198.18.0.1"), 24);
    static final Arrival ON_67 = new Arrival(BR0, 67, new InetSocketAddress("0.0.0.0", 68));
    /** The relay agent of the relayed tests, sending from its giaddr (RFC 1542 §4). */
    static final Arrival FROM_RELAY = new Arrival(BR0, 67, new InetSocketAddress("10.1.0.1", 67));

    @TempDir
    Path data;
    @TempDir
    Path ipxe;
    Database db;
    final StoreWriter writer = new StoreWriter();
    final RecordedEvents events = new RecordedEvents();
    final PeerDirectory peers = new PeerDirectory();
    final InputErrors errors = new InputErrors();
    DhcpResponder responder;
    String router;
    List<Inet4Address> dns = List.of();
    String rangeStart = "198.18.0.100";
    String rangeEnd = "198.18.0.102";

    @BeforeEach
    void setUp() throws Exception {
        for (String f : List.of("undionly.kpxe", "snponly.efi")) Files.write(ipxe.resolve(f), new byte[1]);
        db = Database.open(data);
        build();
    }

    private void build() {
        BootFileChooser chooser = new BootFileChooser(IpxeBinaries.scan(ipxe), 80);
        AddressPool pool = new AddressPool(DhcpPacket.ipv4(rangeStart), DhcpPacket.ipv4(rangeEnd),
                new LeaseRepository(db), writer, db.clientDirectory(), Clock.systemUTC());
        FullDhcpResponder full = new FullDhcpResponder(pool, chooser, events, peers,
                router == null ? null : DhcpPacket.ipv4(router), dns, 600, 67, 4011);
        responder = new DhcpResponder(DhcpMode.FULL, new ProxyDhcpResponder(chooser, events, 67, 4011), full,
                events, peers, errors, 4011);
    }

    @AfterEach
    void tearDown() {
        writer.close();
        db.close();
    }

    private Optional<DhcpPacket> send(ClientPackets client) throws Exception {
        return send(client, ON_67);
    }

    private Optional<DhcpPacket> send(ClientPackets client, Arrival arrival) throws Exception {
        Optional<DhcpReply> reply = responder.handle(client.buffer(), arrival);
        reply.ifPresent(r -> r.sendAfter().join()); // as DhcpService: the reply leaves once its lease is stored
        return reply.isEmpty() ? Optional.empty() : Optional.of(ProxyDhcpTest.wire(reply.get()));
    }

    /** DISCOVER, then REQUEST (SELECTING) of what was offered; returns the ACK. */
    private DhcpPacket lease(String mac) throws Exception {
        DhcpPacket offer = send(ClientPackets.plainLinux(mac, 1)).orElseThrow();
        return send(ClientPackets.plainLinux(mac, 3).address(50, offer.yiaddr().getHostAddress())
                .address(54, "198.18.0.1")).orElseThrow();
    }

    @Test
    void aPlainLinuxClientIsOfferedAnAddressWithMaskLeaseAndServerId() throws Exception {
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1)).orElseThrow();
        assertEquals(DhcpMessageType.OFFER, offer.messageType());
        assertEquals("198.18.0.100", offer.yiaddr().getHostAddress());
        assertEquals("255.255.255.0", offer.options().address(DhcpOptions.SUBNET_MASK).getHostAddress());
        assertEquals(600, ((long) offer.options().uint16(DhcpOptions.LEASE_TIME) << 16)
                | (offer.options().bytes(DhcpOptions.LEASE_TIME)[2] & 0xff) << 8
                | (offer.options().bytes(DhcpOptions.LEASE_TIME)[3] & 0xff));
        assertEquals("198.18.0.1", offer.options().address(DhcpOptions.SERVER_ID).getHostAddress());
        assertFalse(offer.options().has(DhcpOptions.ROUTER), "no router configured, none sent");
        assertFalse(offer.options().has(DhcpOptions.DNS_SERVERS), "no DNS configured, none sent");
        assertEquals("", offer.file(), "a plain client gets no boot file");
        assertFalse(offer.options().has(DhcpOptions.VENDOR_CLASS));
        assertEquals(List.of(BootEventType.DHCP_DISCOVER, BootEventType.DHCP_OFFER), events.types());
    }

    @Test
    void theRouterIsSentOnlyWhenConfigured() throws Exception {
        router = "198.18.0.254";
        build();
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1)).orElseThrow();
        assertEquals("198.18.0.254", offer.options().address(DhcpOptions.ROUTER).getHostAddress());
    }

    @Test
    void dnsServersAreSentInOrderInOfferAckAndInform() throws Exception {
        router = "198.18.0.254";
        dns = List.of(DhcpPacket.ipv4("198.18.0.53"), DhcpPacket.ipv4("9.9.9.9"));
        build();
        byte[] expected = {(byte) 198, 18, 0, 53, 9, 9, 9, 9};
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1)).orElseThrow();
        assertArrayEquals(expected, offer.options().bytes(DhcpOptions.DNS_SERVERS));
        DhcpPacket ack = lease(PC1);
        assertArrayEquals(expected, ack.options().bytes(DhcpOptions.DNS_SERVERS));
        assertEquals("198.18.0.254", ack.options().address(DhcpOptions.ROUTER).getHostAddress());
        DhcpPacket inform = send(ClientPackets.plainLinux(PC2, 8).ciaddr("198.18.0.33")).orElseThrow();
        assertArrayEquals(expected, inform.options().bytes(DhcpOptions.DNS_SERVERS));
        assertEquals("198.18.0.254", inform.options().address(DhcpOptions.ROUTER).getHostAddress());
    }

    @Test
    void requestIsAckedStoredAndLearned() throws Exception {
        DhcpPacket ack = lease(PC1);
        assertEquals(DhcpMessageType.ACK, ack.messageType());
        assertEquals("198.18.0.100", ack.yiaddr().getHostAddress());
        assertEquals("198.18.0.100", new LeaseRepository(db).byMac(PC1).orElseThrow().ip());
        assertEquals("pc1", new LeaseRepository(db).byMac(PC1).orElseThrow().hostname());
        assertEquals(PC1, peers.macOrNull(DhcpPacket.ipv4("198.18.0.100")));
        assertEquals("198.18.0.101", lease(PC2).yiaddr().getHostAddress(), "the next client gets the next address");
        assertTrue(events.types().contains(BootEventType.DHCP_ACK));
    }

    @Test
    void twoClientsDiscoveringAtOnceAreNotOfferedTheSameAddress() throws Exception {
        DhcpPacket a = send(ClientPackets.plainLinux(PC1, 1)).orElseThrow();
        DhcpPacket b = send(ClientPackets.plainLinux(PC2, 1)).orElseThrow();
        assertNotEquals(a.yiaddr(), b.yiaddr());
    }

    @Test
    void anAckCarriesItsLeaseWriteToWaitForAndAnOfferNothing() throws Exception {
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1)).orElseThrow();
        CountDownLatch diskBusy = new CountDownLatch(1);
        writer.submit(() -> {
            try {
                diskBusy.await(); // a slow disk: the writer is held up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        DhcpReply ack = responder.handle(ClientPackets.plainLinux(PC1, 3).address(50, offer.yiaddr().getHostAddress())
                .address(54, "198.18.0.1").buffer(), ON_67).orElseThrow();
        assertEquals(DhcpMessageType.ACK, ack.packet().messageType(), "the decision is made at once, in memory");
        assertFalse(ack.sendAfter().isDone(), "the ACK waits while its lease is not stored");
        assertTrue(new LeaseRepository(db).byMac(PC1).isEmpty());
        // the moment the ACK may leave, the database has the lease
        var storedWhenSendable = ack.sendAfter().thenApply(v -> new LeaseRepository(db).byMac(PC1).isPresent());
        diskBusy.countDown();
        assertTrue(storedWhenSendable.get(5, TimeUnit.SECONDS));
        // an OFFER promises nothing: it may leave at once
        assertTrue(responder.handle(ClientPackets.plainLinux(PC2, 1).buffer(), ON_67).orElseThrow().sendAfter().isDone());
    }

    @Test
    void offersAndRenewalsAreDecidedWithoutTheDatabase() throws Exception {
        new ClientRepository(db).add(new Client("pc2", PC2, null, BootMode.SANBOOT, null, null, null, null, null,
                "198.18.0.50"));
        lease(PC1);
        db.close(); // any database read on the decision path now fails
        assertEquals("198.18.0.50", send(ClientPackets.plainLinux(PC2, 1)).orElseThrow().yiaddr().getHostAddress(),
                "the reservation comes from the client directory");
        assertEquals("198.18.0.100", send(ClientPackets.plainLinux(PC1, 1)).orElseThrow().yiaddr().getHostAddress(),
                "the lease comes from the pool's memory");
        assertEquals("198.18.0.101", send(ClientPackets.plainLinux("52:54:00:00:01:03", 1)).orElseThrow().yiaddr()
                .getHostAddress());
    }

    @Test
    void aReservationAddedWhileRunningIsUsedAtOnce() throws Exception {
        assertEquals("198.18.0.100", send(ClientPackets.plainLinux(PC2, 1)).orElseThrow().yiaddr().getHostAddress());
        new ClientRepository(db).add(new Client("pc2", PC2, null, BootMode.SANBOOT, null, null, null, null, null,
                "198.18.0.51"));
        assertEquals("198.18.0.51", send(ClientPackets.plainLinux(PC2, 1)).orElseThrow().yiaddr().getHostAddress());
        new ClientRepository(db).remove("pc2");
        assertEquals("198.18.0.100", send(ClientPackets.plainLinux(PC2, 1)).orElseThrow().yiaddr().getHostAddress());
    }

    @Test
    void aReservationWins() throws Exception {
        new ClientRepository(db).add(new Client("pc2", PC2, null, BootMode.SANBOOT, null, null, null, null, null,
                "198.18.0.50"));
        DhcpPacket offer = send(ClientPackets.plainLinux(PC2, 1).address(50, "198.18.0.101")).orElseThrow();
        assertEquals("198.18.0.50", offer.yiaddr().getHostAddress());
        // the reserved client may not take another address
        DhcpPacket nak = send(ClientPackets.plainLinux(PC2, 3).address(50, "198.18.0.101")).orElseThrow();
        assertEquals(DhcpMessageType.NAK, nak.messageType());
        assertEquals("198.18.0.50", lease(PC2).yiaddr().getHostAddress());
        // and nobody else is offered the reserved address even when asking for it
        DhcpPacket other = send(ClientPackets.plainLinux(PC1, 1).address(50, "198.18.0.50")).orElseThrow();
        assertEquals("198.18.0.100", other.yiaddr().getHostAddress());
    }

    @Test
    void aMalformedReservationIsSkippedAndEveryoneElseIsStillServed() throws Exception {
        ClientRepository clients = new ClientRepository(db);
        // rows written before `client add` checked --ip (or by hand): none may stop DHCP for the others
        clients.add(new Client("bad1", "52:54:00:00:01:09", null, BootMode.SANBOOT, null, null, null, null, null,
                "not-an-ip"));
        clients.add(new Client("bad2", "52:54:00:00:01:0a", null, BootMode.SANBOOT, null, null, null, null, null,
                "198.18.0"));
        clients.add(new Client("pc2", PC2, null, BootMode.SANBOOT, null, null, null, null, null, "198.18.0.50"));
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1)).orElseThrow();
        assertEquals("198.18.0.100", offer.yiaddr().getHostAddress());
        assertEquals(DhcpMessageType.ACK, lease(PC1).messageType());
        assertEquals("198.18.0.50", lease(PC2).yiaddr().getHostAddress(), "good reservations still hold");
        // the client with the bad row itself is served from the range
        assertEquals("198.18.0.101", lease("52:54:00:00:01:09").yiaddr().getHostAddress());
        assertFalse(events.types().contains(BootEventType.ERROR));
    }

    @Test
    void aWrongRequestedAddressIsNakedBroadcastWithOurServerId() throws Exception {
        lease(PC1);
        Optional<DhcpReply> reply = responder.handle(ClientPackets.plainLinux(PC2, 3).address(50, "198.18.0.100")
                .buffer(), ON_67); // INIT-REBOOT into PC1's address
        DhcpPacket nak = ProxyDhcpTest.wire(reply.orElseThrow());
        assertEquals(DhcpMessageType.NAK, nak.messageType());
        assertEquals("0.0.0.0", nak.yiaddr().getHostAddress());
        assertEquals("198.18.0.1", nak.options().address(DhcpOptions.SERVER_ID).getHostAddress());
        assertEquals(new InetSocketAddress("255.255.255.255", 68), reply.get().destination());
        assertEquals(BootEventType.DHCP_NAK, events.events.getLast().type());
        // another network's address (a laptop moved over)
        DhcpPacket moved = send(ClientPackets.plainLinux(PC2, 3).address(50, "10.0.0.5")).orElseThrow();
        assertEquals(DhcpMessageType.NAK, moved.messageType());
    }

    @Test
    void aRequestForAnotherServersOfferIsIgnored() throws Exception {
        send(ClientPackets.plainLinux(PC1, 1));
        assertTrue(send(ClientPackets.plainLinux(PC1, 3).address(50, "198.18.0.77").address(54, "198.18.0.2"))
                .isEmpty());
        assertFalse(events.types().contains(BootEventType.DHCP_NAK));
        assertTrue(new LeaseRepository(db).byMac(PC1).isEmpty());
        // what we had offered is free again
        assertEquals("198.18.0.100", send(ClientPackets.plainLinux(PC2, 1)).orElseThrow().yiaddr().getHostAddress());
    }

    @Test
    void leasesSurviveARestart() throws Exception {
        lease(PC1);
        lease(PC2);
        db.close();
        db = Database.open(data);
        build();
        assertEquals("198.18.0.101", send(ClientPackets.plainLinux(PC2, 1)).orElseThrow().yiaddr().getHostAddress());
        assertEquals("198.18.0.100", send(ClientPackets.plainLinux(PC1, 1)).orElseThrow().yiaddr().getHostAddress());
        assertEquals("198.18.0.102", send(ClientPackets.plainLinux("52:54:00:00:01:03", 1)).orElseThrow().yiaddr()
                .getHostAddress(), "a new client does not get a stored lease");
        // renewing (ciaddr, unicast) after the restart is acknowledged
        DhcpPacket renew = send(ClientPackets.plainLinux(PC1, 3).ciaddr("198.18.0.100")).orElseThrow();
        assertEquals(DhcpMessageType.ACK, renew.messageType());
        assertEquals("198.18.0.100", renew.yiaddr().getHostAddress());
    }

    @Test
    void theRangeRunsOut() throws Exception {
        lease(PC1);
        lease(PC2);
        lease("52:54:00:00:01:03");
        assertTrue(send(ClientPackets.plainLinux("52:54:00:00:01:04", 1)).isEmpty());
        assertTrue(events.last(BootEventType.ERROR).detail().contains("no free address"));
    }

    @Test
    void releaseAndDecline() throws Exception {
        lease(PC1);
        send(ClientPackets.plainLinux(PC1, 7).ciaddr("198.18.0.100").address(54, "198.18.0.1"));
        writer.submit(() -> { }).join(); // the release is written behind the event loop
        assertTrue(new LeaseRepository(db).byMac(PC1).isEmpty());
        DhcpPacket ack = lease(PC2);
        assertEquals("198.18.0.100", ack.yiaddr().getHostAddress());
        send(ClientPackets.plainLinux(PC2, 4).address(50, "198.18.0.100").address(54, "198.18.0.1"));
        writer.submit(() -> { }).join();
        assertTrue(new LeaseRepository(db).byMac(PC2).isEmpty());
        assertEquals("198.18.0.101", send(ClientPackets.plainLinux(PC2, 1)).orElseThrow().yiaddr().getHostAddress(),
                "a declined address is not offered again right away");
    }

    @Test
    void informGetsOptionsButNoLease() throws Exception {
        Optional<DhcpReply> reply = responder.handle(ClientPackets.plainLinux(PC1, 8).ciaddr("198.18.0.33").buffer(),
                ON_67);
        DhcpPacket ack = ProxyDhcpTest.wire(reply.orElseThrow());
        assertEquals(DhcpMessageType.ACK, ack.messageType());
        assertEquals("0.0.0.0", ack.yiaddr().getHostAddress());
        assertFalse(ack.options().has(DhcpOptions.LEASE_TIME));
        assertEquals("255.255.255.0", ack.options().address(DhcpOptions.SUBNET_MASK).getHostAddress());
        assertEquals(new InetSocketAddress("198.18.0.33", 68), reply.get().destination());
    }

    @Test
    void pxeClientsGetAnAddressAndTheirBootFile() throws Exception {
        DhcpPacket bios = send(ClientPackets.biosFirmware(PC1, 1)).orElseThrow();
        assertEquals("198.18.0.100", bios.yiaddr().getHostAddress());
        assertEquals("undionly.kpxe", bios.file());
        assertEquals("198.18.0.1", bios.siaddr().getHostAddress());
        assertTrue(events.last(BootEventType.DHCP_OFFER).detail().contains("undionly.kpxe"));
        DhcpPacket efi = send(ClientPackets.ovmfX64(PC2, 1)).orElseThrow();
        assertEquals("snponly.efi", efi.file());
        assertFalse(efi.options().has(DhcpOptions.VENDOR_SPECIFIC));
        DhcpPacket ipxe = send(ClientPackets.biosIpxeRom(PC1, 1)).orElseThrow();
        assertEquals("http://198.18.0.1/boot/52:54:00:00:01:01.ipxe", ipxe.file());
        assertEquals("198.18.0.100", ipxe.yiaddr().getHostAddress());
        DhcpPacket http = send(ClientPackets.httpBoot("52:54:00:00:01:03", 1)).orElseThrow();
        assertEquals("http://198.18.0.1/ipxe/snponly.efi", http.file());
        assertEquals("HTTPClient", http.options().string(DhcpOptions.VENDOR_CLASS));
    }

    /**
     * iPXE waits for a ProxyDHCP offer after an offer without PXEClient unless 175.176 says there is none
     * (iPXE's dhcp.c: no_pxedhcp); a full-mode server is the boot server, so iPXE is told, in the offer
     * (where iPXE reads it) and the ACK alike. Firmware and plain clients never see option 175.
     */
    @Test
    void iPxeIsToldNotToWaitForAProxyDhcpOfferAndNobodyElseGetsOption175() throws Exception {
        rangeEnd = "198.18.0.120"; // six clients
        build();
        byte[] noProxyDhcp = {(byte) 176, 1, 1};
        DhcpPacket offer = send(ClientPackets.biosIpxeRom(PC1, 1)).orElseThrow();
        assertEquals(DhcpMessageType.OFFER, offer.messageType());
        assertArrayEquals(noProxyDhcp, offer.options().bytes(DhcpOptions.IPXE_ENCAPSULATED));
        DhcpPacket ack = send(ClientPackets.biosIpxeRom(PC1, 3).address(50, offer.yiaddr().getHostAddress())
                .address(54, "198.18.0.1")).orElseThrow();
        assertEquals(DhcpMessageType.ACK, ack.messageType());
        assertArrayEquals(noProxyDhcp, ack.options().bytes(DhcpOptions.IPXE_ENCAPSULATED));
        assertArrayEquals(noProxyDhcp, send(ClientPackets.ipxeEfi(PC2, 1)).orElseThrow().options()
                .bytes(DhcpOptions.IPXE_ENCAPSULATED));
        for (ClientPackets notIpxe : List.of(ClientPackets.biosFirmware("52:54:00:00:01:03", 1),
                ClientPackets.ovmfX64("52:54:00:00:01:04", 1), ClientPackets.httpBoot("52:54:00:00:01:05", 1),
                ClientPackets.plainLinux("52:54:00:00:01:06", 1))) {
            assertFalse(send(notIpxe).orElseThrow().options().has(DhcpOptions.IPXE_ENCAPSULATED));
        }
    }

    @Test
    void uefiHttpBootIsOfferedAndAckedAnAddressAndTheIpxeBinaryByUrl() throws Exception {
        DhcpPacket offer = send(ClientPackets.httpBoot(PC1, 1)).orElseThrow();
        assertEquals(DhcpMessageType.OFFER, offer.messageType());
        assertEquals("198.18.0.100", offer.yiaddr().getHostAddress());
        assertUefiHttpReply(offer, "http://198.18.0.1/ipxe/snponly.efi");
        assertTrue(events.last(BootEventType.DHCP_OFFER).detail()
                .contains("UEFI HTTP Boot, boot URL http://198.18.0.1/ipxe/snponly.efi"));
        DhcpPacket ack = send(ClientPackets.httpBoot(PC1, 3).address(50, "198.18.0.100").address(54, "198.18.0.1"))
                .orElseThrow();
        assertEquals(DhcpMessageType.ACK, ack.messageType());
        assertEquals("198.18.0.100", ack.yiaddr().getHostAddress());
        assertUefiHttpReply(ack, "http://198.18.0.1/ipxe/snponly.efi");
        assertTrue(events.last(BootEventType.DHCP_ACK).detail().contains("UEFI HTTP Boot, boot URL"));
        // a PXE client on the same server still gets a TFTP name and its next-server, no option 60
        DhcpPacket pxe = send(ClientPackets.ovmfX64(PC2, 1)).orElseThrow();
        assertEquals("snponly.efi", pxe.file());
        assertEquals("198.18.0.1", pxe.siaddr().getHostAddress());
        assertFalse(pxe.options().has(DhcpOptions.VENDOR_CLASS));
    }

    /**
     * What EDK2's HttpBootDxe needs to take a reply (HttpBootDhcp4.c): option 60 starting "HTTPClient"
     * and a URL in the file field (the field not overloaded); and no TFTP leftovers: no next-server,
     * no server name, no option 43 or 66.
     */
    static void assertUefiHttpReply(DhcpPacket p, String url) {
        assertEquals(url, p.file());
        assertEquals("HTTPClient", p.options().string(DhcpOptions.VENDOR_CLASS));
        assertEquals("0.0.0.0", p.siaddr().getHostAddress(), "no TFTP next-server for a URL");
        assertEquals("", p.sname());
        assertFalse(p.options().has(DhcpOptions.OVERLOAD));
        assertFalse(p.options().has(DhcpOptions.VENDOR_SPECIFIC));
        assertFalse(p.options().has(66), "no TFTP server name");
        assertFalse(p.options().has(67), "the URL is in the file field, once");
    }

    @Test
    void aMissingBinaryStillLeasesButRecordsTheError() throws Exception {
        DhcpPacket offer = send(ClientPackets.arm64(PC1, 1)).orElseThrow();
        assertEquals("198.18.0.100", offer.yiaddr().getHostAddress());
        assertEquals("", offer.file());
        assertTrue(events.last(BootEventType.ERROR).detail().contains("arm64"));
    }

    @Test
    void anExplicitServerAddressIsAnnouncedAndNeverLeased() throws Exception {
        // --server-address 198.18.0.100 (inside the range): announced as server id and next-server
        Arrival arrival = new Arrival(new ServedInterface("br0", DhcpPacket.ipv4("198.18.0.1"), 24,
                DhcpPacket.ipv4("198.18.0.100")), 67, new InetSocketAddress("0.0.0.0", 68));
        DhcpPacket offer = send(ClientPackets.biosFirmware(PC1, 1), arrival).orElseThrow();
        assertEquals("198.18.0.101", offer.yiaddr().getHostAddress());
        assertEquals("198.18.0.100", offer.options().address(DhcpOptions.SERVER_ID).getHostAddress());
        assertEquals("198.18.0.100", offer.siaddr().getHostAddress());
        DhcpPacket ack = send(ClientPackets.biosFirmware(PC1, 3).address(50, "198.18.0.101")
                .address(54, "198.18.0.100"), arrival).orElseThrow();
        assertEquals(DhcpMessageType.ACK, ack.messageType());
    }

    @Test
    void aPacketToTheBootServerPortCannotRepointAMacInFullMode() throws Exception {
        lease(PC1); // PC1 holds 198.18.0.100
        // anyone on the segment: PC1's MAC, its own address as ciaddr, to port 4011
        Arrival fromAttacker = new Arrival(BR0, 4011, new InetSocketAddress("198.18.0.66", 68));
        send(ClientPackets.ovmfX64(PC1, 3).ciaddr("198.18.0.66"), fromAttacker);
        send(ClientPackets.ovmfX64(PC1, 3).address(50, "198.18.0.66"), fromAttacker);
        assertEquals("198.18.0.100", peers.addressOf(PC1).orElseThrow().getHostAddress());
        assertTrue(peers.macOf(DhcpPacket.ipv4("198.18.0.66")).isEmpty());
    }

    @Test
    void aLeaseThatCouldNotBeStoredTeachesNothing() throws Exception {
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1)).orElseThrow();
        db.close(); // the disk is gone: the lease cannot be stored
        DhcpReply ack = responder.handle(ClientPackets.plainLinux(PC1, 3).address(50, offer.yiaddr().getHostAddress())
                .address(54, "198.18.0.1").buffer(), ON_67).orElseThrow();
        assertThrows(Exception.class, () -> ack.sendAfter().get(5, TimeUnit.SECONDS));
        assertTrue(peers.addressOf(PC1).isEmpty(), "no stored lease, no address to trust");
        db = Database.open(data);
    }

    @Test
    void thePxeBootServerPortAnswersInFullModeToo() throws Exception {
        Arrival on4011 = new Arrival(BR0, 4011, new InetSocketAddress("198.18.0.100", 68));
        DhcpPacket ack = send(ClientPackets.ovmfX64(PC1, 3).ciaddr("198.18.0.100"), on4011).orElseThrow();
        assertEquals(DhcpMessageType.ACK, ack.messageType());
        assertEquals("snponly.efi", ack.file());
        assertEquals("0.0.0.0", ack.yiaddr().getHostAddress());
    }

    // ---- relayed requests (giaddr set: RFC 2131 §4.1, §4.3.1; RFC 1542)

    /** A relay agent at 10.1.0.1 forwards for its subnet; the range lies in that subnet, not on br0. */
    private void relayedRange() {
        rangeStart = "10.1.0.10";
        rangeEnd = "10.1.255.254";
        build();
    }

    @Test
    void aRelayedClientGetsAnAddressFromTheRangeAndEveryReplyGoesToTheRelaysServerPort() throws Exception {
        relayedRange();
        Optional<DhcpReply> offerOut = responder.handle(ClientPackets.plainLinux(PC1, 1).giaddr("10.1.0.1")
                .buffer(), FROM_RELAY);
        assertEquals(new InetSocketAddress("10.1.0.1", 67), offerOut.orElseThrow().destination());
        DhcpPacket offer = ProxyDhcpTest.wire(offerOut.get());
        assertEquals(DhcpMessageType.OFFER, offer.messageType());
        assertEquals("10.1.0.10", offer.yiaddr().getHostAddress());
        assertEquals("10.1.0.1", offer.giaddr().getHostAddress(), "giaddr echoed: the relay finds its client by it");
        assertEquals("255.255.0.0", offer.options().address(DhcpOptions.SUBNET_MASK).getHostAddress(),
                "the range's subnet, not br0's");
        assertEquals("10.1.0.1", offer.options().address(DhcpOptions.ROUTER).getHostAddress(),
                "no router configured: the relay is the client's gateway");
        assertEquals("198.18.0.1", offer.options().address(DhcpOptions.SERVER_ID).getHostAddress());

        Optional<DhcpReply> ackOut = responder.handle(ClientPackets.plainLinux(PC1, 3).giaddr("10.1.0.1")
                .address(50, "10.1.0.10").address(54, "198.18.0.1").buffer(), FROM_RELAY);
        assertEquals(new InetSocketAddress("10.1.0.1", 67), ackOut.orElseThrow().destination());
        ackOut.get().sendAfter().join(); // as DhcpService: the ACK leaves once its lease is stored
        DhcpPacket ack = ProxyDhcpTest.wire(ackOut.get());
        assertEquals(DhcpMessageType.ACK, ack.messageType());
        assertEquals("10.1.0.10", ack.yiaddr().getHostAddress());
        assertEquals("10.1.0.10", new LeaseRepository(db).byMac(PC1).orElseThrow().ip());
    }

    @Test
    void theBroadcastBitOfARelayedRequestIsKeptForTheRelay() throws Exception {
        relayedRange();
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1).giaddr("10.1.0.1").broadcast(), FROM_RELAY).orElseThrow();
        assertTrue(offer.broadcastFlag(), "the relay broadcasts to the client when the client asked for it");
        DhcpPacket unicast = send(ClientPackets.plainLinux(PC2, 1).giaddr("10.1.0.1"), FROM_RELAY).orElseThrow();
        assertFalse(unicast.broadcastFlag());
    }

    @Test
    void aConfiguredRouterWinsOverTheRelay() throws Exception {
        router = "10.1.0.254";
        relayedRange();
        DhcpPacket offer = send(ClientPackets.plainLinux(PC1, 1).giaddr("10.1.0.1"), FROM_RELAY).orElseThrow();
        assertEquals("10.1.0.254", offer.options().address(DhcpOptions.ROUTER).getHostAddress());
    }

    @Test
    void aRelayedNakGoesToTheRelayWithTheBroadcastBit() throws Exception {
        relayedRange();
        Optional<DhcpReply> out = responder.handle(ClientPackets.plainLinux(PC1, 3).giaddr("10.1.0.1")
                .address(50, "192.0.2.7").buffer(), FROM_RELAY);
        assertEquals(new InetSocketAddress("10.1.0.1", 67), out.orElseThrow().destination());
        DhcpPacket nak = ProxyDhcpTest.wire(out.get());
        assertEquals(DhcpMessageType.NAK, nak.messageType());
        assertTrue(nak.broadcastFlag(), "RFC 2131 §4.3.2: a NAK through a relay has the broadcast bit set");
    }

    @Test
    void aRelayForAnotherSubnetIsNotAnswered() throws Exception {
        relayedRange();
        assertTrue(send(ClientPackets.plainLinux(PC1, 1).giaddr("192.0.2.1"),
                new Arrival(BR0, 67, new InetSocketAddress("192.0.2.1", 67))).isEmpty(),
                "no range in the relay's subnet: another server's clients");
        assertTrue(new LeaseRepository(db).list().isEmpty());
    }

    @Test
    void aRelayOnTheServedSubnetLeasesFromTheRangeThereAndItsOwnAddressNever() throws Exception {
        rangeStart = "198.18.0.100";
        rangeEnd = "198.18.0.101";
        build();
        DhcpPacket first = send(ClientPackets.plainLinux(PC1, 1).giaddr("198.18.0.100"),
                new Arrival(BR0, 67, new InetSocketAddress("198.18.0.100", 67))).orElseThrow();
        assertEquals("198.18.0.101", first.yiaddr().getHostAddress(), "the relay's address is never offered");
        assertEquals("255.255.255.0", first.options().address(DhcpOptions.SUBNET_MASK).getHostAddress());
    }

    @Test
    void aRelayedRequestIsServedOnlyWhenItComesFromARelayAgent() throws Exception {
        // REVIEW3 #6: a host anywhere could write a giaddr in our range's subnet and any chaddr
        relayedRange();
        for (String forger : List.of("203.0.113.5", "0.0.0.0", "10.1.0.77")) {
            assertTrue(send(ClientPackets.plainLinux(PC1, 1).giaddr("10.1.0.1"),
                    new Arrival(BR0, 67, new InetSocketAddress(forger, 68))).isEmpty(), "answered " + forger);
            assertTrue(send(ClientPackets.plainLinux(PC1, 3).giaddr("10.1.0.1").address(50, "10.1.0.10"),
                    new Arrival(BR0, 67, new InetSocketAddress(forger, 68))).isEmpty(), "answered " + forger);
        }
        assertEquals(6, errors.count("DHCP"), "each forgery is counted as dropped");
        assertTrue(new LeaseRepository(db).list().isEmpty());
        // the relay itself, from its giaddr or from its address on our link (the interface facing us)
        assertEquals("10.1.0.10", send(ClientPackets.plainLinux(PC1, 1).giaddr("10.1.0.1"), FROM_RELAY)
                .orElseThrow().yiaddr().getHostAddress());
        assertTrue(send(ClientPackets.plainLinux(PC2, 1).giaddr("10.1.0.1"),
                new Arrival(BR0, 67, new InetSocketAddress("198.18.0.254", 67))).isPresent());
    }

    @Test
    void aSpoofedMacDiscoverFloodDoesNotGrowTheOfferMemoryBeyondTheRange() {
        // REVIEW3 #6: offeredTo kept one entry per MAC ever offered; now a MAC whose hold another took is forgotten
        TestClock clock = new TestClock();
        AddressPool pool = new AddressPool(DhcpPacket.ipv4("198.18.0.100"), DhcpPacket.ipv4("198.18.0.102"),
                new LeaseRepository(db), writer, db.clientDirectory(), clock);
        for (int i = 0; i < 200; i++) {
            assertTrue(pool.offer(String.format("52:54:00:10:%02x:%02x", i >> 8, i & 0xff), null, BR0).isPresent());
            clock.advance(AddressPool.OFFER_HOLD.plusSeconds(1)); // the holds expire: addresses go round
        }
        assertTrue(pool.macsWithAnOffer() <= 3, pool.macsWithAnOffer() + " MACs remembered for a range of 3");
    }
}
