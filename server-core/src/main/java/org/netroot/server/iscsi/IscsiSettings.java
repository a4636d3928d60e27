package org.netroot.server.iscsi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where the iSCSI portal listens: one socket per address, all on {@code port}. Port 0 picks a free
 * port (tests); 3260 is the IANA port.
 */
public record IscsiSettings(List<InetAddress> bindAddresses, int port) {
    public static final int DEFAULT_PORT = 3260;

    public IscsiSettings {
        bindAddresses = bindAddresses == null || bindAddresses.isEmpty() ? List.of(anyAddress()) : List.copyOf(bindAddresses);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("iSCSI port out of range: " + port);
    }

    /** One address; null: every address (0.0.0.0). */
    public IscsiSettings(InetAddress bindAddress, int port) {
        this(bindAddress == null ? List.of() : List.of(bindAddress), port);
    }

    public static IscsiSettings defaults() {
        return new IscsiSettings((InetAddress) null, DEFAULT_PORT);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]); // 0.0.0.0: every interface, the portal follows the connection
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
