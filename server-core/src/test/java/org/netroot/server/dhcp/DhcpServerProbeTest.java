package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.VethNetwork;

/** The probe's DISCOVER and offer filter on bytes, then for real against dnsmasq across a veth pair. */
class DhcpServerProbeTest {
    private static final byte[] MAC = HexFormat.of().parseHex("525400aabb01");
    private static final InetAddress ROUTER = DhcpPacket.ipv4("192.168.1.1");

    @TempDir
    Path tmp;

    @Test
    void discoverIsABroadcastRequestFromTheMacWithNoPxeVendorClass() throws Exception {
        byte[] bytes = DhcpServerProbe.discover(MAC, 0x11223344).encode();
        DhcpPacket p = DhcpPacket.parse(bytes);
        assertEquals(DhcpMessageType.DISCOVER, p.messageType());
        assertEquals(0x11223344, p.xid());
        assertTrue(p.broadcastFlag(), "answers must be broadcast: we have no address yet");
        assertEquals("52:54:00:aa:bb:01", p.mac());
        assertFalse(p.options().has(DhcpOptions.VENDOR_CLASS), "no PXEClient: proxy-only servers stay silent");
        assertEquals(1, bytes[0]);
        assertEquals(0x80, bytes[10] & 0xff, "broadcast flag on the wire");
    }

    @Test
    void anOfferFromAnotherServerIsReadWithItsRouterAndMask() {
        byte[] offer = offer(0x55, "192.168.1.1", "192.168.1.77", ROUTER_AND_MASK);
        Optional<DhcpServerProbe.Offer> o = DhcpServerProbe.offer(offer, 0x55, ROUTER, Set.of());
        assertTrue(o.isPresent());
        assertEquals("192.168.1.1", o.get().server().getHostAddress());
        assertEquals("192.168.1.77", o.get().offered().getHostAddress());
        assertEquals("192.168.1.254", o.get().router().getHostAddress());
        assertEquals("255.255.255.0", o.get().subnetMask().getHostAddress());
    }

    @Test
    void ourOwnServerAnotherExchangeAProxyAnswerAndGarbageDoNotCount() {
        byte[] offer = offer(0x55, "192.168.1.1", "192.168.1.77", ROUTER_AND_MASK);
        assertTrue(DhcpServerProbe.offer(offer, 0x55, ROUTER, Set.of(ROUTER)).isEmpty(), "from this machine");
        assertTrue(DhcpServerProbe.offer(offer, 0x56, ROUTER, Set.of()).isEmpty(), "another xid");
        assertTrue(DhcpServerProbe.offer(offer(0x55, "192.168.1.9", "0.0.0.0", ""), 0x55,
                DhcpPacket.ipv4("192.168.1.9"), Set.of()).isEmpty(), "proxyDHCP offers no address");
        assertTrue(DhcpServerProbe.offer("not dhcp".getBytes(), 0x55, ROUTER, Set.of()).isEmpty());
    }

    private static final String ROUTER_AND_MASK = "0304c0a801fe" + "0104ffffff00";

    /** An OFFER laid out byte by byte (not by the codec under test). */
    private static byte[] offer(int xid, String serverId, String yiaddr, String moreOptionsHex) {
        byte[] b = new byte[300];
        b[0] = 2;
        b[1] = 1;
        b[2] = 6;
        b[4] = (byte) (xid >>> 24);
        b[5] = (byte) (xid >>> 16);
        b[6] = (byte) (xid >>> 8);
        b[7] = (byte) xid;
        System.arraycopy(DhcpPacket.ipv4(yiaddr).getAddress(), 0, b, 16, 4);
        System.arraycopy(MAC, 0, b, 28, 6);
        byte[] opts = HexFormat.of().parseHex("63825363" + "350102" + "3604"
                + HexFormat.of().formatHex(DhcpPacket.ipv4(serverId).getAddress()) + moreOptionsHex + "ff");
        System.arraycopy(opts, 0, b, 236, opts.length);
        return b;
    }

    @Test
    void findsDnsmasqAcrossAVethPairAndNothingWithoutIt() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root: network namespaces and the DHCP client port 68");
        assumeTrue(Processes.has("dnsmasq"), "needs dnsmasq (Debian: dnsmasq-base)");
        try (VethNetwork net = VethNetwork.create("np", tmp)) {
            assertEquals(List.of(), DhcpServerProbe.probe(net.hostInterface(), MAC, Duration.ofMillis(800), Set.of()),
                    "no DHCP server on the network yet");
            net.startDnsmasq();
            List<DhcpServerProbe.Offer> offers = DhcpServerProbe.probe(net.hostInterface(), MAC, Duration.ofSeconds(2),
                    Set.of());
            assertEquals(1, offers.size(), offers.toString());
            DhcpServerProbe.Offer o = offers.getFirst();
            assertEquals(net.address(2), o.server().getHostAddress());
            assertTrue(o.offered().getHostAddress().startsWith(net.address(5)), o.toString()); // .50-.60
            assertEquals(net.address(2), o.router().getHostAddress());
            assertEquals("255.255.255.0", o.subnetMask().getHostAddress());

            assertEquals(List.of(), DhcpServerProbe.probe(net.hostInterface(), MAC, Duration.ofSeconds(1),
                    Set.of(DhcpPacket.ipv4(net.address(2)))), "a server at one of our own addresses is our own");
        }
    }

    @Test
    void anUnknownInterfaceIsSaidInWords() {
        try {
            DhcpServerProbe.probe("nosuchif0", MAC, Duration.ofMillis(100), Set.of());
            throw new AssertionError("probed a missing interface");
        } catch (IllegalStateException e) {
            assertEquals("there is no network interface named nosuchif0 on this machine", e.getMessage());
        }
    }
}
