package org.netroot.server.dhcp;

import java.net.InetSocketAddress;

/** Where a request came in: the served interface, our local port (67 or 4011) and the sender. */
public record Arrival(ServedInterface on, int localPort, InetSocketAddress sender) {
}
