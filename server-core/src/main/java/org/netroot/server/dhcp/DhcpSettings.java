package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import org.netroot.server.boot.IpxeBinaries;

/**
 * How the DHCP service runs.
 *
 * @param interfaces the network interfaces answered on (no others, ever)
 * @param rangeStart first address leased in full mode (null in proxy mode)
 * @param serverAddress the address clients are told to boot from (server id, next-server, script URLs);
 *        null: each interface's own first IPv4 address (for the first interface: its first address)
 * @param router option 3 in full mode, null for none
 * @param dns option 6 (DNS servers, in order) in full mode, empty for none
 * @param ipxeDir where the iPXE binaries are (Debian: /usr/lib/ipxe)
 */
public record DhcpSettings(
        List<String> interfaces,
        DhcpMode mode,
        Inet4Address rangeStart,
        Inet4Address rangeEnd,
        Inet4Address serverAddress,
        Inet4Address router,
        List<Inet4Address> dns,
        int leaseSeconds,
        int serverPort,
        int proxyPort,
        int httpPort,
        Path ipxeDir) {

    public static final int DEFAULT_SERVER_PORT = 67;
    public static final int DEFAULT_PROXY_PORT = 4011;
    public static final int DEFAULT_LEASE_SECONDS = 3600;

    public DhcpSettings {
        interfaces = List.copyOf(interfaces);
        dns = dns == null ? List.of() : List.copyOf(dns);
        if (interfaces.isEmpty()) throw new IllegalArgumentException("DHCP needs at least one --interface to answer on");
        if (mode == null) mode = DhcpMode.PROXY;
        if (mode == DhcpMode.OFF) throw new IllegalArgumentException("DHCP is off: no DHCP service to configure");
        if (mode == DhcpMode.FULL && (rangeStart == null || rangeEnd == null)) {
            throw new IllegalArgumentException("full DHCP needs an address range (--range START-END)");
        }
        if (leaseSeconds <= 0) leaseSeconds = DEFAULT_LEASE_SECONDS;
        if (serverPort <= 0) serverPort = DEFAULT_SERVER_PORT;
        if (proxyPort <= 0) proxyPort = DEFAULT_PROXY_PORT;
        if (httpPort <= 0) httpPort = 80;
        if (ipxeDir == null) ipxeDir = IpxeBinaries.DEFAULT_DIR;
    }

}
