package org.netroot.server.service;

import java.net.InetAddress;
import java.util.List;

/**
 * Where a service listens, looked up each time it starts, not when the server is built: at boot an
 * interface may get its address after Netroot starts (NetworkManager/systemd ordering), and after an
 * address change a stop/start must bind the new address, not the one seen at construction.
 */
@FunctionalInterface
public interface ListenAddresses {
    /**
     * The addresses to bind now, never empty.
     *
     * @throws IllegalStateException in words a user can act on when an address is not there (yet),
     *                               e.g. "interface br0 has no IPv4 address yet: ..."
     */
    List<InetAddress> resolve();

    /** Always the same addresses (tests, or a literal address). */
    static ListenAddresses of(List<InetAddress> addresses) {
        List<InetAddress> fixed = List.copyOf(addresses);
        if (fixed.isEmpty()) throw new IllegalArgumentException("a service needs an address to listen on");
        return () -> fixed;
    }
}
