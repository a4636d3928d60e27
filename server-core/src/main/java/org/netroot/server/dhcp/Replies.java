package org.netroot.server.dhcp;

import java.net.Inet4Address;

/** The BOOTREPLY header every answer shares (RFC 2131 §4.3.1, table 3). */
final class Replies {
    private Replies() {
    }

    static DhcpPacket reply(DhcpPacket request, Inet4Address ciaddr, Inet4Address yiaddr, Inet4Address siaddr,
            String file, DhcpOptions options) {
        return reply(request, request.flags(), ciaddr, yiaddr, siaddr, file, options);
    }

    static DhcpPacket reply(DhcpPacket request, int flags, Inet4Address ciaddr, Inet4Address yiaddr,
            Inet4Address siaddr, String file, DhcpOptions options) {
        return new DhcpPacket(DhcpPacket.BOOTREPLY, request.htype(), request.hlen(), 0, request.xid(), 0,
                flags, ciaddr, yiaddr, siaddr, request.giaddr(), request.chaddr(), "", file, options);
    }
}
