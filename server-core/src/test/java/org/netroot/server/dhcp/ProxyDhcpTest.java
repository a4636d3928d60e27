package org.netroot.server.dhcp;

import org.netroot.server.boot.IpxeBinaries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/** Proxy mode, decided on bytes: what each kind of client gets on port 67 and on port 4011. */
class ProxyDhcpTest {
    static final String MAC = "52:54:00:00:00:01";
    static final ServedInterface BR0 = new ServedInterface("br0", DhcpPacket.ipv4("198.18.0.1"), 24);
    static final Arrival ON_67 = new Arrival(BR0, 67, new InetSocketAddress("0.0.0.0", 68));

    @TempDir
    Path ipxe;
    final RecordedEvents events = new RecordedEvents();
    final PeerDirectory peers = new PeerDirectory();
    final InputErrors errors = new InputErrors();
    DhcpResponder responder;

    @BeforeEach
    void setUp() throws Exception {
        for (String f : List.of("undionly.kpxe", "snponly.efi", "ipxe.efi")) Files.write(ipxe.resolve(f), new byte[1]);
        BootFileChooser chooser = new BootFileChooser(IpxeBinaries.scan(ipxe), 80);
        responder = new DhcpResponder(DhcpMode.PROXY, new ProxyDhcpResponder(chooser, events, 67, 4011), null, events,
                peers, errors, 4011);
    }

    private Optional<DhcpReply> send(ClientPackets client, Arrival arrival) {
        return responder.handle(client.buffer(), arrival);
    }

    /** Encodes and parses again: the tests look at what goes on the wire. */
    static DhcpPacket wire(DhcpReply reply) throws Exception {
        byte[] bytes = reply.packet().encode();
        assertTrue(bytes.length >= 300, "reply of " + bytes.length + " bytes");
        return DhcpPacket.parse(bytes);
    }

    static void assertNoAddressOptions(DhcpPacket p) {
        assertEquals("0.0.0.0", p.yiaddr().getHostAddress(), "a proxy never hands out an address");
        for (int code : new int[] {DhcpOptions.SUBNET_MASK, DhcpOptions.ROUTER, DhcpOptions.DNS_SERVERS,
                DhcpOptions.LEASE_TIME, DhcpOptions.RENEWAL_TIME, DhcpOptions.REBINDING_TIME, DhcpOptions.REQUESTED_ADDRESS}) {
            assertFalse(p.options().has(code), "proxy reply carries option " + code);
        }
    }

    @Test
    void biosFirmwareGetsAProxyOfferWithDiscoveryControlAndTheFile() throws Exception {
        DhcpReply reply = send(ClientPackets.biosFirmware(MAC, 1), ON_67).orElseThrow();
        DhcpPacket p = wire(reply);
        assertEquals(DhcpMessageType.OFFER, p.messageType());
        assertNoAddressOptions(p);
        assertEquals("198.18.0.1", p.options().address(DhcpOptions.SERVER_ID).getHostAddress());
        assertEquals("PXEClient", p.options().string(DhcpOptions.VENDOR_CLASS));
        assertArrayEquals(ClientPackets.UUID, p.options().bytes(DhcpOptions.CLIENT_UUID));
        // PXE_DISCOVERY_CONTROL = 8, then the PXE end tag (PXE 2.1 §2.4, as dnsmasq sends it)
        assertArrayEquals(new byte[] {6, 1, 8, (byte) 0xff}, p.options().bytes(DhcpOptions.VENDOR_SPECIFIC));
        byte[] onTheWire = reply.packet().encode();
        assertTrue(HexFormat.of().formatHex(onTheWire).contains("2b04060108ff"), "option 43 bytes on the wire");
        assertEquals("undionly.kpxe", p.file());
        assertEquals("198.18.0.1", p.siaddr().getHostAddress());
        assertEquals(new InetSocketAddress("255.255.255.255", 68), reply.destination());
        assertEquals(List.of(BootEventType.DHCP_DISCOVER, BootEventType.PROXY_OFFER), events.types());
        String detail = events.last(BootEventType.PROXY_OFFER).detail();
        assertTrue(detail.contains("proxy") && detail.contains("arch 0") && detail.contains("undionly.kpxe"), detail);
        assertEquals(MAC, events.last(BootEventType.PROXY_OFFER).mac());
    }

    @Test
    void uefiGetsNoOption43OnPort67AndItsFileInTheAckFromPort4011() throws Exception {
        DhcpPacket offer = wire(send(ClientPackets.ovmfX64(MAC, 1), ON_67).orElseThrow());
        assertEquals(DhcpMessageType.OFFER, offer.messageType());
        assertNoAddressOptions(offer);
        assertFalse(offer.options().has(DhcpOptions.VENDOR_SPECIFIC), "UEFI must not get option 43");
        assertEquals("PXEClient", offer.options().string(DhcpOptions.VENDOR_CLASS));

        // after the router's ACK the firmware asks the boot server on port 4011, from its new address
        InetSocketAddress client = new InetSocketAddress("198.18.0.150", 68);
        Arrival on4011 = new Arrival(BR0, 4011, client);
        DhcpReply ack = send(ClientPackets.ovmfX64(MAC, 3).ciaddr("198.18.0.150"), on4011).orElseThrow();
        DhcpPacket p = wire(ack);
        assertEquals(DhcpMessageType.ACK, p.messageType());
        assertNoAddressOptions(p);
        assertFalse(p.options().has(DhcpOptions.VENDOR_SPECIFIC));
        assertEquals("snponly.efi", p.file());
        assertEquals("198.18.0.1", p.siaddr().getHostAddress());
        assertEquals("198.18.0.1", p.options().address(DhcpOptions.SERVER_ID).getHostAddress());
        assertEquals("PXEClient", p.options().string(DhcpOptions.VENDOR_CLASS));
        assertArrayEquals(ClientPackets.UUID, p.options().bytes(DhcpOptions.CLIENT_UUID));
        assertEquals(client, ack.destination(), "the 4011 ACK goes back where the request came from");
        assertTrue(events.last(BootEventType.PROXY_ACK).detail().contains("4011"));
        assertEquals(MAC, peers.macOrNull(DhcpPacket.ipv4("198.18.0.150")));
    }

    @Test
    void aRequestForTheRoutersOfferOnPort67IsLeftAloneButTeachesThePeerDirectory() throws Exception {
        // the ROM takes the router's offer (option 54 = the router): an ACK from us would carry the
        // router's xid and yiaddr 0.0.0.0, and a ROM that does not check the server id may take it
        ClientPackets selecting = ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.0.123")
                .address(54, "198.18.0.2");
        assertTrue(send(selecting, ON_67).isEmpty());
        assertEquals(MAC, peers.macOrNull(DhcpPacket.ipv4("198.18.0.123")));
        // INIT-REBOOT / RENEWING with the router: no option 54, still the router's
        assertTrue(send(ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.0.123"), ON_67).isEmpty());
        assertTrue(send(ClientPackets.ovmfX64(MAC, 3).ciaddr("198.18.0.123"), ON_67).isEmpty());
        assertEquals(List.of(BootEventType.DHCP_REQUEST, BootEventType.DHCP_REQUEST, BootEventType.DHCP_REQUEST),
                events.types());
    }

    @Test
    void onlyARequestOrInformTeachesItsCiaddr() throws Exception {
        // RFC 2131 §4.3: ciaddr is the client's own address only in a REQUEST (BOUND/RENEWING/REBINDING)
        // or an INFORM; anything else carrying one, with any MAC, must not repoint that MAC
        for (int type : new int[] {1, 4, 7}) { // DISCOVER, DECLINE, RELEASE
            send(ClientPackets.biosFirmware(MAC, type).ciaddr("198.18.0.66"), ON_67);
        }
        assertTrue(peers.addressOf(MAC).isEmpty(), "learned " + peers.addressOf(MAC));
        Arrival fromItself = new Arrival(BR0, 67, new InetSocketAddress("198.18.0.67", 68));
        send(ClientPackets.biosFirmware(MAC, 8).ciaddr("198.18.0.67"), fromItself); // INFORM
        assertEquals(MAC, peers.macOrNull(DhcpPacket.ipv4("198.18.0.67")));
    }

    @Test
    void aPacketFromElsewhereCannotRepointAMac() {
        // REVIEW3 #1: what is learned opens the MAC's CHAP script to that address. An attacker on
        // another subnet (routed in on the same interface) or on the link must not teach its own address.
        Arrival fromAttacker67 = new Arrival(BR0, 67, new InetSocketAddress("198.18.7.66", 68));
        Arrival fromAttacker4011 = new Arrival(BR0, 4011, new InetSocketAddress("198.18.7.66", 68));
        Arrival fromNeighbour4011 = new Arrival(BR0, 4011, new InetSocketAddress("198.18.0.66", 68));
        for (Arrival from : List.of(fromAttacker67, fromAttacker4011, fromNeighbour4011)) {
            // option 50 not broadcast from 0.0.0.0
            send(ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.0.66"), from);
            send(ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.7.66"), from);
            // ciaddr that is not the sender
            send(ClientPackets.ovmfX64(MAC, 3).ciaddr("198.18.0.77"), from);
            send(ClientPackets.ovmfX64(MAC, 8).ciaddr("198.18.0.77"), from);
        }
        // ciaddr = sender, but off the served subnet
        send(ClientPackets.ovmfX64(MAC, 3).ciaddr("198.18.7.66"), fromAttacker4011);
        send(ClientPackets.ovmfX64(MAC, 8).ciaddr("198.18.7.66"), fromAttacker67);
        // from 0.0.0.0 but naming an address off the subnet, or relayed (the relay vouches for nothing)
        send(ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.7.66"), ON_67);
        send(ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.0.88").giaddr("198.18.0.254"), ON_67);
        // a relay on the link, sending from its giaddr, forwards a REQUEST naming its own address as ciaddr
        Arrival fromRelay = new Arrival(BR0, 67, new InetSocketAddress("198.18.0.254", 67));
        send(ClientPackets.ovmfX64(MAC, 3).ciaddr("198.18.0.254").giaddr("198.18.0.254"), fromRelay);
        assertTrue(peers.addressOf(MAC).isEmpty(), "learned " + peers.addressOf(MAC));
        // the legitimate boots still teach: the ROM's broadcast REQUEST, then iPXE's on 4011 from its address
        send(ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.0.123").address(54, "198.18.0.2"), ON_67);
        assertEquals(MAC, peers.macOrNull(DhcpPacket.ipv4("198.18.0.123")));
        Arrival fromClient4011 = new Arrival(BR0, 4011, new InetSocketAddress("198.18.0.124", 68));
        send(ClientPackets.ovmfX64(MAC, 3).ciaddr("198.18.0.124"), fromClient4011);
        assertEquals(MAC, peers.macOrNull(DhcpPacket.ipv4("198.18.0.124")));
    }

    @Test
    void aDiscoversWishedForAddressTeachesNothing() throws Exception {
        // option 50 in a DISCOVER is only a wish: anyone may send it with any MAC
        send(ClientPackets.biosFirmware(MAC, 1).address(50, "198.18.0.124"), ON_67);
        assertTrue(peers.macOf(DhcpPacket.ipv4("198.18.0.124")).isEmpty());
        assertTrue(peers.addressOf(MAC).isEmpty());
    }

    @Test
    void aRequestNamingUsOnPort67GetsAProxyAck() throws Exception {
        ClientPackets request = ClientPackets.biosFirmware(MAC, 3).address(50, "198.18.0.123")
                .address(54, "198.18.0.1");
        DhcpPacket p = wire(send(request, ON_67).orElseThrow());
        assertEquals(DhcpMessageType.ACK, p.messageType());
        assertNoAddressOptions(p);
        assertEquals("198.18.0.1", p.options().address(DhcpOptions.SERVER_ID).getHostAddress());
        assertEquals("undionly.kpxe", p.file());
        assertEquals(List.of(BootEventType.DHCP_REQUEST, BootEventType.PROXY_ACK), events.types());
    }

    @Test
    void ipxeGetsItsScriptAndNoLoop() throws Exception {
        DhcpPacket bios = wire(send(ClientPackets.biosIpxeRom(MAC, 1), ON_67).orElseThrow());
        assertEquals("http://198.18.0.1/boot/52:54:00:00:00:01.ipxe", bios.file());
        assertNoAddressOptions(bios);
        DhcpPacket efi = wire(send(ClientPackets.ipxeEfi(MAC, 1), ON_67).orElseThrow());
        assertEquals("http://198.18.0.1/boot/52:54:00:00:00:01.ipxe", efi.file());
        assertFalse(efi.options().has(DhcpOptions.VENDOR_SPECIFIC));
        assertFalse(efi.options().has(DhcpOptions.CLIENT_UUID), "97 only when the client sent it");
    }

    @Test
    void plainClientsAreLeftToTheRouter() {
        assertTrue(send(ClientPackets.plainLinux(MAC, 1), ON_67).isEmpty());
        assertTrue(send(ClientPackets.plainLinux(MAC, 3).address(50, "198.18.0.9"), ON_67).isEmpty());
        assertEquals(List.of(), events.types(), "a plain client is no boot client");
        assertEquals(0, errors.count("DHCP"), "a client for someone else is not garbage");
    }

    /**
     * EDK2's HttpBootDxe takes an offer without an address as a proxy offer only when it says HTTPClient
     * and carries a URL (HttpOfferTypeProxyIpUri), then boots that URL with the router's lease: the
     * proxy offer is all it gets from us; its REQUEST goes to the router.
     */
    @Test
    void uefiHttpBootGetsAProxyOfferWithHttpClientAndTheUrl() throws Exception {
        DhcpReply reply = send(ClientPackets.httpBoot(MAC, 1), ON_67).orElseThrow();
        DhcpPacket p = wire(reply);
        assertEquals(DhcpMessageType.OFFER, p.messageType());
        assertNoAddressOptions(p);
        assertEquals("198.18.0.1", p.options().address(DhcpOptions.SERVER_ID).getHostAddress());
        FullDhcpTest.assertUefiHttpReply(p, "http://198.18.0.1/ipxe/snponly.efi");
        assertArrayEquals(ClientPackets.UUID, p.options().bytes(DhcpOptions.CLIENT_UUID));
        assertEquals(new InetSocketAddress("255.255.255.255", 68), reply.destination());
        assertEquals(List.of(BootEventType.DHCP_DISCOVER, BootEventType.PROXY_OFFER), events.types());
        assertTrue(events.last(BootEventType.PROXY_OFFER).detail()
                .contains("UEFI HTTP Boot, boot URL http://198.18.0.1/ipxe/snponly.efi"));
        // taking the router's offer: not ours to answer
        assertTrue(send(ClientPackets.httpBoot(MAC, 3).address(50, "198.18.0.9").address(54, "198.18.0.254"), ON_67)
                .isEmpty());
    }

    @Test
    void uefiHttpBootOfOtherArchitecturesGetsTheirBinaryByUrlInProxyMode() throws Exception {
        Files.createDirectories(ipxe.resolve("arm64-efi"));
        Files.write(ipxe.resolve("arm64-efi/snponly.efi"), new byte[1]);
        Files.delete(ipxe.resolve("ipxe.efi")); // the last IA32 candidate
        // the binaries are looked up once, when the service starts
        BootFileChooser chooser = new BootFileChooser(IpxeBinaries.scan(ipxe), 80);
        responder = new DhcpResponder(DhcpMode.PROXY, new ProxyDhcpResponder(chooser, events, 67, 4011), null, events,
                peers, errors, 4011);
        DhcpPacket arm = wire(send(ClientPackets.httpBoot(MAC, 1, 0x13), ON_67).orElseThrow());
        FullDhcpTest.assertUefiHttpReply(arm, "http://198.18.0.1/ipxe/arm64-efi/snponly.efi");
        // no IA32 binary in the folder: no offer, and an event saying what to install
        assertTrue(send(ClientPackets.httpBoot(MAC, 1, 0x0f), ON_67).isEmpty());
        String why = events.last(BootEventType.ERROR).detail();
        assertTrue(why.contains("i386-efi/snponly.efi"), why);
    }

    @Test
    void aMissingArm64BinaryMeansNoAnswerAndAnErrorEvent() {
        assertTrue(send(ClientPackets.arm64(MAC, 1), ON_67).isEmpty());
        String detail = events.last(BootEventType.ERROR).detail();
        assertTrue(detail.contains("EFI ARM64") && detail.contains("arm64-efi/snponly.efi"), detail);
    }

    @Test
    void anArm64BinaryInTheFolderIsOffered() throws Exception {
        Files.createDirectories(ipxe.resolve("arm64-efi"));
        Files.write(ipxe.resolve("arm64-efi/snponly.efi"), new byte[1]);
        Files.delete(ipxe.resolve("ipxe.efi")); // the last IA32 candidate
        setUp();
        DhcpPacket p = wire(send(ClientPackets.arm64(MAC, 1), ON_67).orElseThrow());
        assertEquals("arm64-efi/snponly.efi", p.file());
        assertFalse(p.options().has(DhcpOptions.VENDOR_SPECIFIC));
    }

    @Test
    void relayedRequestsGoBackToTheRelay() throws Exception {
        DhcpReply reply = send(ClientPackets.biosFirmware(MAC, 1).giaddr("198.18.5.1"),
                new Arrival(BR0, 67, new InetSocketAddress("198.18.5.1", 67))).orElseThrow();
        assertEquals(new InetSocketAddress("198.18.5.1", 67), reply.destination());
        assertEquals("198.18.5.1", wire(reply).giaddr().getHostAddress());
    }

    @Test
    void garbageIsCountedAndTheNextClientIsServed() {
        assertTrue(responder.handle(ByteBuffer.wrap(new byte[] {1, 2, 3}), ON_67).isEmpty());
        byte[] noType = ClientPackets.biosFirmware(MAC, 1).bytes();
        noType[242] = 99; // option 53 value
        assertTrue(responder.handle(ByteBuffer.wrap(noType), ON_67).isEmpty());
        byte[] reply = ClientPackets.biosFirmware(MAC, 1).bytes();
        reply[0] = 2;
        assertTrue(responder.handle(ByteBuffer.wrap(reply), ON_67).isEmpty());
        assertEquals(3, errors.count("DHCP"));
        assertTrue(send(ClientPackets.biosFirmware(MAC, 1), ON_67).isPresent());
    }
}
