package org.netroot.server.iscsi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.netroot.server.service.ListenAddresses;

/**
 * Where the iSCSI portal listens: one socket per address {@code listen} resolves when it starts, all on {@code port}. Port 0 picks a free
 * port (tests); 3260 is the IANA port.
 */
public record IscsiSettings(ListenAddresses listen, int port) {
    public static final int DEFAULT_PORT = 3260;

    public IscsiSettings {
        if (listen == null) listen = ListenAddresses.of(List.of(anyAddress()));
        if (port < 0 || port > 65535) throw new IllegalArgumentException("iSCSI port out of range: " + port);
    }

    /** These addresses, always; none: every address (0.0.0.0). */
    public IscsiSettings(List<InetAddress> bindAddresses, int port) {
        this(bindAddresses == null || bindAddresses.isEmpty() ? null : ListenAddresses.of(bindAddresses), port);
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
