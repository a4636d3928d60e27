package org.netroot.server.runtime;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.dhcp.DhcpSettings;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.http.HttpSettings;
import org.netroot.server.iscsi.IscsiSettings;
import org.netroot.server.tftp.TftpSettings;

/** Each protocol's settings from what {@code netroot serve} was told: the services know nothing of ServerConfig. */
public final class ServiceSettings {
    private ServiceSettings() {
    }

    /** The DHCP part. Only call it when DHCP is on ({@code dhcpMode != OFF} and at least one interface). */
    public static DhcpSettings dhcp(ServerConfig config) {
        DhcpMode mode = config.dhcpMode() == null ? DhcpMode.PROXY : config.dhcpMode();
        return new DhcpSettings(config.interfaces(), mode, config.rangeStart(), config.rangeEnd(),
                config.serverAddress(), config.router(), config.dnsServers(), config.leaseSeconds(), config.dhcpPort(),
                config.proxyDhcpPort(), config.httpPort(), config.ipxeDir());
    }

    /** The iPXE folder first, then the boot-files folder when one was given. */
    public static TftpSettings tftp(ServerConfig config) {
        List<Path> roots = new ArrayList<>();
        roots.add(ipxeDir(config));
        if (config.bootFilesDir() != null) roots.add(config.bootFilesDir());
        return new TftpSettings(bindAddresses(config), config.tftpPort(), roots, TftpSettings.DEFAULT_TIMEOUT,
                TftpSettings.DEFAULT_RETRIES);
    }

    public static HttpSettings http(ServerConfig c) {
        return new HttpSettings(bindAddresses(c), c.httpPort(), c.iscsiPort(), c.bootFilesDir(), c.ipxeDir());
    }

    public static IscsiSettings iscsi(ServerConfig config) {
        return new IscsiSettings(bindAddresses(config), config.iscsiPort());
    }

    /**
     * Where TFTP, HTTP and iSCSI listen: the IPv4 addresses of the served interfaces (and the
     * --server-address when it is one of this machine's), so a boot service is not reachable from
     * networks the user did not choose; every address (0.0.0.0) with --listen-all or when no
     * interface was named.
     */
    public static List<InetAddress> bindAddresses(ServerConfig config) {
        if (config.listenAll() || config.interfaces().isEmpty()) return List.of(TftpSettings.anyAddress());
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String name : config.interfaces()) addresses.addAll(ipv4Addresses(name));
        Inet4Address announced = config.serverAddress();
        try {
            if (announced != null && NetworkInterface.getByInetAddress(announced) != null) addresses.add(announced);
        } catch (SocketException e) {
            // cannot tell: clients reach us on the interfaces' own addresses
        }
        return List.copyOf(addresses);
    }

    private static List<InetAddress> ipv4Addresses(String name) {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            throw new IllegalArgumentException("cannot read network interface " + name + ": " + e.getMessage(), e);
        }
        // Java does not list an interface that has no address at all: /sys/class/net tells it exists (Linux)
        if (nif == null && (name.contains("/") || !Files.isDirectory(Path.of("/sys/class/net", name)))) {
            throw new IllegalArgumentException("there is no network interface named " + name + " (see `ip -br addr`)");
        }
        List<InetAddress> v4 = nif == null ? List.of() : nif.getInterfaceAddresses().stream()
                .map(InterfaceAddress::getAddress).filter(a -> a instanceof Inet4Address).toList();
        if (v4.isEmpty()) {
            throw new IllegalArgumentException("interface " + name + " has no IPv4 address, and TFTP, HTTP and iSCSI"
                    + " listen on the addresses of the --interface ones: give it one (ip addr add ADDRESS/PREFIX dev "
                    + name + ") or pass --listen-all");
        }
        return v4;
    }

    public static Path ipxeDir(ServerConfig config) {
        return config.ipxeDir() != null ? config.ipxeDir() : IpxeBinaries.DEFAULT_DIR;
    }
}
