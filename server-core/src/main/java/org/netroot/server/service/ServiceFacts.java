package org.netroot.server.service;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a service tells about itself for the status: where it listens and how much it handled.
 * Cheap to build (read on every status call and once a second for the live counters).
 *
 * @param addresses where it listens now (empty while stopped)
 * @param ports     the bound ports while running, else the configured ones
 * @param transport "udp" or "tcp"
 * @param mode      DHCP's mode; null for the others
 * @param interfaces the interfaces DHCP answers on; empty for the others
 * @param requests  requests handled since the service was built
 */
public record ServiceFacts(List<String> addresses, List<Integer> ports, String transport, String mode,
                           List<String> interfaces, long requests) {
    public ServiceFacts {
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        interfaces = List.copyOf(interfaces);
    }

    public static final ServiceFacts NONE = new ServiceFacts(List.of(), List.of(), null, null, List.of(), 0);

    /** A service listening on {@code bound} (its port the first one's), or on nothing yet with {@code configuredPort}. */
    public static ServiceFacts listening(List<InetSocketAddress> bound, int configuredPort, String transport,
                                         long requests) {
        List<String> addresses = bound.stream().map(InetSocketAddress::getAddress).map(ServiceFacts::words)
                .distinct().toList();
        int port = bound.isEmpty() ? configuredPort : bound.get(0).getPort();
        return new ServiceFacts(addresses, List.of(port), transport, null, List.of(), requests);
    }

    /** "0.0.0.0" for every address, whether the socket was opened IPv4 only or dual-stack ("::"). */
    private static String words(InetAddress address) {
        return address.isAnyLocalAddress() ? "0.0.0.0" : address.getHostAddress();
    }
}
