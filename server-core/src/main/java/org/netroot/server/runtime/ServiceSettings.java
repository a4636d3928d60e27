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
import org.netroot.server.service.ListenAddresses;
import org.netroot.server.iscsi.IscsiSettings;
import org.netroot.server.nbd.NbdSettings;
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
        return new TftpSettings(tftpListenAddresses(config), config.tftpPort(), roots, TftpSettings.DEFAULT_TIMEOUT,
                TftpSettings.DEFAULT_RETRIES);
    }

    public static HttpSettings http(ServerConfig c) {
        return new HttpSettings(listenAddresses(c), c.httpPort(), c.iscsiPort(), c.bootFilesDir(), c.ipxeDir());
    }

    public static IscsiSettings iscsi(ServerConfig config) {
        return new IscsiSettings(listenAddresses(config), config.iscsiPort());
    }

    public static NbdSettings nbd(ServerConfig config) {
        return new NbdSettings(listenAddresses(config), config.nbdPort());
    }

    /**
     * Where TFTP, HTTP, iSCSI and NBD listen: the IPv4 addresses of the served interfaces (and the
     * --server-address when it is one of this machine's), so a boot service is not reachable from
     * networks the user did not choose; every address (0.0.0.0) with --listen-all or when no
     * interface was named. Looked up each time a service starts: an interface may get its address
     * after Netroot starts, and a stop/start after an address change must bind the new one.
     */
    public static ListenAddresses listenAddresses(ServerConfig config) {
        return () -> bindAddresses(config);
    }

    /**
     * TFTP's: as {@link #listenAddresses}, but "every address" is each local IPv4 address with its own
     * socket, not 0.0.0.0: a transfer answers from the socket it was sent from, and a PXE ROM drops DATA
     * that comes from another address than the one it sent its request to (e.g. a --server-address alias).
     */
    public static ListenAddresses tftpListenAddresses(ServerConfig config) {
        if (!everyAddress(config)) return listenAddresses(config);
        return ServiceSettings::localIpv4Addresses;
    }

    /** The addresses to listen on now; throws IllegalStateException in words when an interface has none. */
    public static List<InetAddress> bindAddresses(ServerConfig config) {
        if (everyAddress(config)) return List.of(TftpSettings.anyAddress());
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

    private static boolean everyAddress(ServerConfig config) {
        return config.listenAll() || config.interfaces().isEmpty();
    }

    /** Every IPv4 address of this machine now, loopback included (local tools and tests use it). */
    static List<InetAddress> localIpv4Addresses() {
        try {
            List<InetAddress> all = NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address)
                    .distinct().toList();
            if (all.isEmpty()) throw new IllegalStateException("this machine has no IPv4 address yet");
            return all;
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this machine's addresses: " + e.getMessage(), e);
        }
    }

    private static List<InetAddress> ipv4Addresses(String name) {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            throw new IllegalStateException("cannot read network interface " + name + ": " + e.getMessage(), e);
        }
        // Java does not list an interface that has no address at all: /sys/class/net tells it exists (Linux)
        if (nif == null && (name.contains("/") || !Files.isDirectory(Path.of("/sys/class/net", name)))) {
            throw new IllegalStateException("there is no network interface named " + name + " (yet? see `ip -br addr`)");
        }
        List<InetAddress> v4 = nif == null ? List.of() : nif.getInterfaceAddresses().stream()
                .map(InterfaceAddress::getAddress).filter(a -> a instanceof Inet4Address).toList();
        if (v4.isEmpty()) {
            throw new IllegalStateException("interface " + name + " has no IPv4 address yet: TFTP, HTTP, iSCSI and NBD"
                    + " listen on the addresses of the --interface ones. Give it one (ip addr add ADDRESS/PREFIX dev "
                    + name + ") or wait for its DHCP client, then start the service again; or pass --listen-all");
        }
        return v4;
    }

    public static Path ipxeDir(ServerConfig config) {
        return config.ipxeDir() != null ? config.ipxeDir() : IpxeBinaries.DEFAULT_DIR;
    }
}
