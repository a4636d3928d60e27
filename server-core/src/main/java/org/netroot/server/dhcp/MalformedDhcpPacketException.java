package org.netroot.server.dhcp;

/** Input that is not a DHCP packet we can read; the message says why, for the dropped-input log. */
public final class MalformedDhcpPacketException extends Exception {
    public MalformedDhcpPacketException(String reason) {
        super(reason);
    }
}
