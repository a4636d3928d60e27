package org.netroot.server.nbd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.netroot.server.service.ListenAddresses;

/**
 * Where the NBD service listens: one socket per address {@code listen} resolves when it starts, all on
 * {@code port}. Port 0 picks a free port (tests); 10809 is the IANA port, what nbd-client, dracut and
 * qemu use when none is given.
 */
public record NbdSettings(ListenAddresses listen, int port) {
    public static final int DEFAULT_PORT = NbdProtocol.PORT;

    public NbdSettings {
        if (listen == null) listen = ListenAddresses.of(List.of(anyAddress()));
        if (port < 0 || port > 65535) throw new IllegalArgumentException("NBD port out of range: " + port);
    }

    /** One address; null: every address (0.0.0.0). */
    public NbdSettings(InetAddress bindAddress, int port) {
        this(bindAddress == null ? null : ListenAddresses.of(List.of(bindAddress)), port);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
