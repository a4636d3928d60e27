package org.netroot.server.dhcp;

import java.net.InetSocketAddress;

/** A reply and where to send it; it leaves through the channel (interface and port) the request came in on. */
public record DhcpReply(DhcpPacket packet, InetSocketAddress destination) {
}
