package org.netroot.server.tftp;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.netroot.server.service.ListenAddresses;

/**
 * How the TFTP service runs: one request socket per address {@code listen} resolves when it starts, all on {@code port}. {@code roots} are searched in order; {@code timeout} is the
 * retransmission timeout when the client does not ask for one (RFC 2349), {@code retries} how many
 * times a window or OACK is sent again before the transfer is given up.
 */
public record TftpSettings(ListenAddresses listen, int port, List<Path> roots, Duration timeout, int retries) {

    public static final int DEFAULT_PORT = 69;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_RETRIES = 5;

    public TftpSettings {
        if (listen == null) throw new IllegalArgumentException("TFTP needs an address to listen on");
        roots = List.copyOf(roots);
        if (roots.isEmpty()) throw new IllegalArgumentException("TFTP needs at least one folder to serve");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("TFTP port out of range: " + port);
    }

    /** Listening on these addresses, always the same. */
    public TftpSettings(List<InetAddress> bindAddresses, int port, List<Path> roots, Duration timeout, int retries) {
        this(ListenAddresses.of(bindAddresses), port, roots, timeout, retries);
    }

    /** Listening on one address (0.0.0.0: every address). */
    public TftpSettings(InetAddress bindAddress, int port, List<Path> roots, Duration timeout, int retries) {
        this(List.of(bindAddress), port, roots, timeout, retries);
    }

    public static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]); // 0.0.0.0: every interface
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
