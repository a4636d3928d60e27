package org.netroot.server.iscsi;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where the iSCSI portal listens. Port 0 picks a free port (tests); 3260 is the IANA port. */
public record IscsiSettings(InetAddress bindAddress, int port) {
    public static final int DEFAULT_PORT = 3260;

    public IscsiSettings {
        if (bindAddress == null) bindAddress = anyAddress();
        if (port < 0 || port > 65535) throw new IllegalArgumentException("iSCSI port out of range: " + port);
    }

    public static IscsiSettings defaults() {
        return new IscsiSettings(null, DEFAULT_PORT);
    }


    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]); // 0.0.0.0: every interface, the portal follows the connection
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
