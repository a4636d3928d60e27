package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where a reply goes (RFC 2131 §4.1, "constructing and sending DHCP messages") and, for a request a
 * relay agent forwarded (giaddr set, RFC 1542), which subnet the client is on.
 */
final class ReplyAddressing {
    static final int CLIENT_PORT = 68;
    /** The BROADCAST bit of the flags field (RFC 2131 §2, figure 2). */
    static final int BROADCAST_FLAG = 0x8000;

    private ReplyAddressing() {
    }

    static InetSocketAddress destination(DhcpPacket request, DhcpMessageType replyType, Arrival arrival,
            int serverPort, int proxyPort) {
        // A PXE boot server request (port 4011) comes from a client that has its address:
        // answer it where it came from (PXE 2.1 §2.2.5).
        if (arrival.localPort() == proxyPort && arrival.sender() != null
                && !arrival.sender().getAddress().isAnyLocalAddress()) {
            return arrival.sender();
        }
        // Relayed: every reply, NAK included, goes back to the relay agent's server port (§4.1); the
        // relay delivers it on the client's subnet, honouring the broadcast bit (RFC 1542 §5.4).
        if (isRelayed(request)) return new InetSocketAddress(request.giaddr(), serverPort);
        // A NAK is broadcast when not relayed (§4.1): the client's address is wrong by definition.
        if (replyType == DhcpMessageType.NAK) return new InetSocketAddress(DhcpPacket.BROADCAST, CLIENT_PORT);
        if (!request.ciaddr().isAnyLocalAddress() && !request.broadcastFlag()) {
            return new InetSocketAddress(request.ciaddr(), CLIENT_PORT);
        }
        // No address yet (or the client asked for broadcast). Unicasting to yiaddr would need an ARP
        // entry we cannot add from Java, so broadcast, which every client accepts.
        return new InetSocketAddress(DhcpPacket.BROADCAST, CLIENT_PORT);
    }

    static boolean isRelayed(DhcpPacket request) {
        return !request.giaddr().isAnyLocalAddress();
    }

    /**
     * Whether a relayed request came from a relay agent we can reach, not from any host that wrote a
     * giaddr: otherwise a host anywhere could take or move any MAC's lease, drain the pool and make us
     * send to whatever giaddr it names. A relay agent is a router (RFC 1542 §4: it receives the
     * client's broadcast and sends a new datagram to the server), so it sends either from its giaddr
     * interface (perfdhcp in bench/dhcp.sh: 198.19.0.2 with giaddr 198.19.0.2) or from its own
     * address on our link, the interface that faces us (ISC dhcrelay, a router's ip helper). Never
     * from 0.0.0.0 (a client's source) nor from another subnet.
     */
    static boolean fromItsRelay(DhcpPacket request, Arrival arrival) {
        if (arrival.sender() == null || !(arrival.sender().getAddress() instanceof Inet4Address sender)) return false;
        if (sender.isAnyLocalAddress()) return false;
        return sender.equals(request.giaddr()) || arrival.on().isHostAddress(sender);
    }

    /**
     * The reply's flags: the request's, except a relayed NAK, which must carry the broadcast bit
     * (§4.3.2: the relay cannot unicast to an address the client must not use).
     */
    static int flags(DhcpPacket request, DhcpMessageType replyType) {
        if (replyType == DhcpMessageType.NAK && isRelayed(request)) return request.flags() | BROADCAST_FLAG;
        return request.flags();
    }

    /**
     * The subnet a full-mode client is on. Not relayed: the interface the request came in on. Relayed
     * (§4.3.1: "the address is chosen from the subnet of giaddr"): Netroot has one range, so it serves
     * a relay whose address (giaddr) lies in the range's subnet and ignores other relays, which
     * another server serves. That subnet is the interface's when the relay is on it; otherwise the
     * smallest subnet holding the whole range (so a range of 10.1.0.1-10.1.255.254 is 10.1.0.0/16).
     * The returned link has the relay's address as its own (never leased) and keeps our server address.
     */
    static Optional<ServedInterface> clientLink(DhcpPacket request, ServedInterface on, Inet4Address rangeStart,
            Inet4Address rangeEnd) {
        if (!isRelayed(request)) return Optional.of(on);
        Inet4Address relay = request.giaddr();
        String name = on.name() + " via relay " + relay.getHostAddress();
        if (on.contains(relay)) return Optional.of(new ServedInterface(name, relay, on.prefixLength(), on.serverAddress()));
        int prefix = Math.min(30, Integer.numberOfLeadingZeros(ServedInterface.toInt(rangeStart)
                ^ ServedInterface.toInt(rangeEnd)));
        ServedInterface link = new ServedInterface(name, relay, prefix, on.serverAddress());
        return link.contains(rangeStart) ? Optional.of(link) : Optional.empty();
    }
}
