package org.netroot.server.runtime;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import org.netroot.server.dhcp.DhcpMode;

/**
 * What {@code netroot serve} was told. {@code interfaces} are the network interfaces DHCP answers on
 * (empty: DHCP off). {@code serverAddress} is the IPv4 address clients reach us at (next-server, script
 * URLs, iSCSI portal); null means "each served interface's own first IPv4 address". {@code router} and
 * {@code dnsServers} are announced to clients in full DHCP mode only. TFTP, HTTP, iSCSI and NBD listen on
 * the IPv4 addresses of {@code interfaces}; with none, or with {@code listenAll}, on every address.
 */
public record ServerConfig(
        Path dataDir,
        List<String> interfaces,
        DhcpMode dhcpMode,
        Inet4Address rangeStart,
        Inet4Address rangeEnd,
        Inet4Address serverAddress,
        int dhcpPort,
        int proxyDhcpPort,
        int tftpPort,
        int httpPort,
        int iscsiPort,
        int controlPort,
        Path ipxeDir,
        Path bootFilesDir,
        int leaseSeconds,
        Inet4Address router,
        List<Inet4Address> dnsServers,
        boolean listenAll,
        int nbdPort) {

    public ServerConfig {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        if (nbdPort < 0 || nbdPort > 65535) throw new IllegalArgumentException("NBD port out of range: " + nbdPort);
    }

    /**
     * Without an NBD port of its own: NBD on its IANA port 10809, or on a free port (0) when the iSCSI
     * port is 0 too (a test or tool asking the OS for every port).
     */
    public ServerConfig(Path dataDir, List<String> interfaces, DhcpMode dhcpMode, Inet4Address rangeStart,
                        Inet4Address rangeEnd, Inet4Address serverAddress, int dhcpPort, int proxyDhcpPort, int tftpPort,
                        int httpPort, int iscsiPort, int controlPort, Path ipxeDir, Path bootFilesDir, int leaseSeconds,
                        Inet4Address router, List<Inet4Address> dnsServers, boolean listenAll) {
        this(dataDir, interfaces, dhcpMode, rangeStart, rangeEnd, serverAddress, dhcpPort, proxyDhcpPort, tftpPort,
                httpPort, iscsiPort, controlPort, ipxeDir, bootFilesDir, leaseSeconds, router, dnsServers, listenAll,
                iscsiPort == 0 ? 0 : DEFAULT_NBD_PORT);
    }

    /** Listening on the interfaces' addresses (no --listen-all). */
    public ServerConfig(Path dataDir, List<String> interfaces, DhcpMode dhcpMode, Inet4Address rangeStart,
                        Inet4Address rangeEnd, Inet4Address serverAddress, int dhcpPort, int proxyDhcpPort, int tftpPort,
                        int httpPort, int iscsiPort, int controlPort, Path ipxeDir, Path bootFilesDir, int leaseSeconds,
                        Inet4Address router, List<Inet4Address> dnsServers) {
        this(dataDir, interfaces, dhcpMode, rangeStart, rangeEnd, serverAddress, dhcpPort, proxyDhcpPort, tftpPort,
                httpPort, iscsiPort, controlPort, ipxeDir, bootFilesDir, leaseSeconds, router, dnsServers, false);
    }

    /** Without a router or DNS servers to announce (proxy mode never announces them). */
    public ServerConfig(Path dataDir, List<String> interfaces, DhcpMode dhcpMode, Inet4Address rangeStart,
                        Inet4Address rangeEnd, Inet4Address serverAddress, int dhcpPort, int proxyDhcpPort, int tftpPort,
                        int httpPort, int iscsiPort, int controlPort, Path ipxeDir, Path bootFilesDir, int leaseSeconds) {
        this(dataDir, interfaces, dhcpMode, rangeStart, rangeEnd, serverAddress, dhcpPort, proxyDhcpPort, tftpPort,
                httpPort, iscsiPort, controlPort, ipxeDir, bootFilesDir, leaseSeconds, null, List.of());
    }


    public static final int DEFAULT_CONTROL_PORT = 7067;
    /** NBD's IANA port: what nbd-client, dracut's netroot=nbd: and qemu's nbd:// use when given none. */
    public static final int DEFAULT_NBD_PORT = org.netroot.server.nbd.NbdSettings.DEFAULT_PORT;
}
