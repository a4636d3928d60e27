package org.netroot.server.dhcp;

import java.net.InetSocketAddress;

/** Where a reply goes (RFC 2131 §4.1, "constructing and sending DHCP messages"). */
final class ReplyAddressing {
    static final int CLIENT_PORT = 68;

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
        // Relayed: back to the relay agent's server port, it forwards to the client.
        if (!request.giaddr().isAnyLocalAddress()) return new InetSocketAddress(request.giaddr(), serverPort);
        // A NAK is broadcast when not relayed (§4.1): the client's address is wrong by definition.
        if (replyType == DhcpMessageType.NAK) return new InetSocketAddress(DhcpPacket.BROADCAST, CLIENT_PORT);
        if (!request.ciaddr().isAnyLocalAddress() && !request.broadcastFlag()) {
            return new InetSocketAddress(request.ciaddr(), CLIENT_PORT);
        }
        // No address yet (or the client asked for broadcast). Unicasting to yiaddr would need an ARP
        // entry we cannot add from Java, so broadcast, which every client accepts.
        return new InetSocketAddress(DhcpPacket.BROADCAST, CLIENT_PORT);
    }
}
