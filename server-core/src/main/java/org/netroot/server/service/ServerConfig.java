package org.netroot.server.service;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code netroot serve} was told. {@code interfaces} are the network interfaces DHCP answers on
 * (empty: DHCP off). {@code serverAddress} is the IPv4 address clients reach us at (next-server, script
 * URLs, iSCSI portal); null means "the first address of the first served interface".
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
        int leaseSeconds) {

    public enum DhcpMode { PROXY, FULL, OFF }

    public static final int DEFAULT_CONTROL_PORT = 7067;
    public static final Path DEFAULT_IPXE_DIR = Path.of("/usr/lib/ipxe");
}
