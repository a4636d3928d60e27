package org.netroot.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Linux's /proc/net/arp as the kernel writes it: complete entries only, by address. */
class NeighbourTableTest {
    static final String ARP = """
            IP address       HW type     Flags       HW address            Mask     Device
            198.18.0.10      0x1         0x2         52:54:00:AA:00:01     *        br0
            198.18.0.11      0x1         0x0         00:00:00:00:00:00     *        br0
            198.18.0.12      0x1         0x6         52:54:00:aa:00:03     *        br0
            198.18.0.12      0x1         0x2         52:54:00:aa:00:04     *        eth1
            198.18.0.100     0x1         0x2         52:54:00:aa:00:05     *        br0
            """;

    @Test
    void completeEntriesOfTheAddressOnlyInLowerCase() throws Exception {
        assertEquals(Set.of("52:54:00:aa:00:01"), NeighbourTable.parse(ARP, InetAddress.getByName("198.18.0.10")));
        assertEquals(Set.of(), NeighbourTable.parse(ARP, InetAddress.getByName("198.18.0.11")), "incomplete: no MAC yet");
        assertEquals(Set.of("52:54:00:aa:00:03", "52:54:00:aa:00:04"),
                NeighbourTable.parse(ARP, InetAddress.getByName("198.18.0.12")), "one per interface");
        assertEquals(Set.of(), NeighbourTable.parse(ARP, InetAddress.getByName("198.18.0.1")), "not 198.18.0.100's prefix");
        assertEquals(Set.of(), NeighbourTable.parse("garbage\nmore garbage 0xzz\n", InetAddress.getByName("198.18.0.10")));
    }

    @Test
    void theSystemTableNeverKnowsLoopbackAndPeerDirectoryTakesNoEntryAsNoContradiction() throws Exception {
        assertEquals(Set.of(), NeighbourTable.system().macsAt(InetAddress.getLoopbackAddress()));
        PeerDirectory peers = new PeerDirectory().checkingLinksWith(a -> Set.of("52:54:00:aa:00:01"));
        InetAddress at = InetAddress.getByName("198.18.0.10");
        assertEquals(false, peers.contradicted(at, "52:54:00:AA:00:01"), "the same MAC, any case");
        assertEquals(true, peers.contradicted(at, "52:54:00:aa:00:02"));
        assertEquals(false, new PeerDirectory().checkingLinksWith(NeighbourTable.NONE).contradicted(at, "52:54:00:aa:00:02"));
    }
}
