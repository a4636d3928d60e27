package org.netroot.server.dhcp;

/** Option 53 values (RFC 2132 §9.6). */
public enum DhcpMessageType {
    DISCOVER(1), OFFER(2), REQUEST(3), DECLINE(4), ACK(5), NAK(6), RELEASE(7), INFORM(8);

    public final int code;

    DhcpMessageType(int code) {
        this.code = code;
    }

    /** @return the type, or null for a code this server does not know */
    public static DhcpMessageType of(int code) {
        for (DhcpMessageType t : values()) if (t.code == code) return t;
        return null;
    }
}
