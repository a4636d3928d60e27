package org.netroot.server.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.service.PrivilegeCheck;
import org.netroot.server.runtime.ServerConfig;
import org.netroot.server.runtime.ServiceSettings;
import org.netroot.server.runtime.SettingsFile;
import org.netroot.server.api.ServerSettings;
import org.netroot.server.dhcp.DhcpMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Run the server in the foreground: DHCP, TFTP, HTTP, iSCSI, NBD and the control API.",
        "Without --interface and --dhcp, the settings saved in the data folder (settings.json, written by the app's"
                + " setup) apply; options given here still win over them."})
final class ServeCommand implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "network interface to serve (repeatable): DHCP answers on it, TFTP, HTTP, iSCSI and NBD listen on its"
                    + " IPv4 addresses; none: DHCP off, the others listen on every address") List<String> interfaces = new ArrayList<>();
    @Option(names = "--listen-all",
            description = "TFTP, HTTP, iSCSI and NBD listen on every address of this machine (0.0.0.0), not only on the"
                    + " --interface ones; DHCP still answers only on the --interface ones") boolean listenAll;
    @Option(names = "--dhcp", paramLabel = "MODE",
            description = "proxy (default: beside your router's DHCP, never assigns addresses), full (assigns"
                    + " addresses from --range), off") String dhcp;
    @Option(names = "--range", paramLabel = "START-END", description = "address range for --dhcp full") String range;
    @Option(names = "--server-address", paramLabel = "IP",
            description = "address clients reach this server at (default: first IPv4 of the first --interface)") String serverAddress;
    @Option(names = "--dhcp-port", paramLabel = "PORT", defaultValue = "67",
            description = "UDP port DHCP answers on (default: ${DEFAULT-VALUE})") int dhcpPort;
    @Option(names = "--proxy-port", paramLabel = "PORT", defaultValue = "4011",
            description = "UDP port of the PXE boot server in --dhcp proxy (default: ${DEFAULT-VALUE})") int proxyPort;
    @Option(names = "--tftp-port", paramLabel = "PORT", defaultValue = "69",
            description = "UDP port TFTP serves iPXE and --boot-files on (default: ${DEFAULT-VALUE})") int tftpPort;
    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "80",
            description = "TCP port of the HTTP server for iPXE scripts and --boot-files (default: ${DEFAULT-VALUE})") int httpPort;
    @Option(names = "--iscsi-port", paramLabel = "PORT", defaultValue = "3260",
            description = "TCP port of the iSCSI target clients boot their volume from (default: ${DEFAULT-VALUE})") int iscsiPort;
    @Option(names = "--nbd-port", paramLabel = "PORT", defaultValue = "" + ServerConfig.DEFAULT_NBD_PORT,
            description = "TCP port of the NBD server that exports each client's volume under the volume's name, to that"
                    + " client's address only (default: ${DEFAULT-VALUE})") int nbdPort;
    @Option(names = "--control-port", paramLabel = "PORT", defaultValue = "" + ServerConfig.DEFAULT_CONTROL_PORT,
            description = "loopback port of the control API the other commands use (default: ${DEFAULT-VALUE}; 0: any free port)") int controlPort;
    @Option(names = "--control-group", paramLabel = "GROUP",
            description = "members of this group may use the control API (its token in the data folder readable by"
                    + " them too): the system service gives it to group netroot, so its members' app and commands attach"
                    + " to it. The data folder must let the group in (chmod g+rx)") String controlGroup;
    @Option(names = "--ipxe-dir", paramLabel = "DIR",
            description = "folder with the iPXE binaries undionly.kpxe, snponly.efi ... (default: the saved setting, else "
                    + IpxeBinaries.DEFAULT_DIR_NAME + ")") Path ipxeDir;
    @Option(names = "--boot-files", paramLabel = "DIR", description = "folder served over TFTP and at http://SERVER/files/") Path bootFiles;
    @Option(names = "--lease-seconds", paramLabel = "SECONDS", defaultValue = "3600",
            description = "how long an address given in --dhcp full is the client's (default: ${DEFAULT-VALUE})") int leaseSeconds;
    @Option(names = "--router", paramLabel = "IP", description = "default gateway to announce in --dhcp full") String router;
    @Option(names = "--dns", paramLabel = "IP", split = ",",
            description = "DNS server(s) to announce in --dhcp full (comma-separated or repeated)") List<String> dns = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ServerConfig config = config();
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (config.dhcpMode() != DhcpMode.OFF && !interfaces.isEmpty()) {
            ports.put(dhcpPort + "/udp (DHCP)", dhcpPort);
            if (config.dhcpMode() == DhcpMode.PROXY) ports.put(proxyPort + "/udp (PXE boot server)", proxyPort);
        }
        ports.put(tftpPort + "/udp (TFTP)", tftpPort);
        ports.put(httpPort + "/tcp (HTTP)", httpPort);
        ports.put(iscsiPort + "/tcp (iSCSI)", iscsiPort);
        ports.put(nbdPort + "/tcp (NBD)", nbdPort);
        var privilege = PrivilegeCheck.problem(ports);
        if (privilege.isPresent()) {
            System.err.println("netroot: " + privilege.get());
            return 1;
        }
        NetrootServer server = NetrootServer.start(config, controlGroup);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "netroot-shutdown"));
        var states = server.status().services();
        var failures = states.stream().filter(s -> !s.running()).map(s -> s.detail()).toList();
        server.warnings().stream().filter(w -> !failures.contains(w))
                .forEach(w -> System.err.println("netroot: warning: " + w));
        if (states.stream().anyMatch(s -> !s.running())) {
            states.stream().filter(s -> !s.running()).forEach(s -> System.err.println("netroot: " + s.detail()));
            System.exit(1);
        }
        StringBuilder ready = new StringBuilder("Netroot ready: ");
        if (config.dhcpMode() == DhcpMode.OFF || interfaces.isEmpty()) {
            ready.append("DHCP off (pass --interface to answer PXE clients)");
        } else {
            ready.append("DHCP ").append(config.dhcpMode().name().toLowerCase()).append(" on ").append(String.join(",", interfaces));
        }
        List<InetAddress> listening = ServiceSettings.bindAddresses(config); // every service started: they resolve
        ready.append(", TFTP :").append(tftpPort).append(", HTTP :").append(httpPort).append(", iSCSI :").append(iscsiPort)
                .append(", NBD :").append(nbdPort)
                .append(listening.stream().allMatch(InetAddress::isAnyLocalAddress) ? " on every address"
                        : " on " + String.join(", ", listening.stream().map(InetAddress::getHostAddress).toList()))
                .append(", data ").append(config.dataDir());
        System.out.println(ready);
        System.out.flush();
        stopped.await();
        return 0;
    }

    ServerConfig config() {
        Path dataDir = data.resolve();
        if (interfaces.isEmpty() && dhcp == null) SettingsFile.read(dataDir).ifPresent(this::useSaved);
        if (dhcp == null) dhcp = "proxy";
        if (ipxeDir == null) ipxeDir = IpxeBinaries.DEFAULT_DIR;
        DhcpMode mode = switch (dhcp.toLowerCase()) {
            case "proxy" -> DhcpMode.PROXY;
            case "full" -> DhcpMode.FULL;
            case "off" -> DhcpMode.OFF;
            default -> throw new IllegalArgumentException("--dhcp is proxy, full or off, not " + dhcp);
        };
        Inet4Address start = null;
        Inet4Address end = null;
        if (mode == DhcpMode.FULL) {
            if (range == null || !range.contains("-")) {
                throw new IllegalArgumentException("--dhcp full needs --range START-END, e.g. --range 192.168.50.100-192.168.50.200");
            }
            String[] r = range.split("-", 2);
            start = ipv4(r[0].trim(), "--range");
            end = ipv4(r[1].trim(), "--range");
        }
        return new ServerConfig(dataDir, List.copyOf(interfaces), mode, start, end,
                serverAddress == null ? null : ipv4(serverAddress, "--server-address"), dhcpPort, proxyPort, tftpPort,
                httpPort, iscsiPort, controlPort, ipxeDir.toAbsolutePath(),
                bootFiles == null ? null : bootFiles.toAbsolutePath(), leaseSeconds,
                router == null ? null : ipv4(router, "--router"), dns.stream().map(d -> ipv4(d.trim(), "--dns")).toList(),
                listenAll, nbdPort);
    }

    /** The saved settings fill what the command line left out (it was given no --interface and no --dhcp). */
    private void useSaved(ServerSettings saved) {
        interfaces = new ArrayList<>(saved.interfaces());
        dhcp = saved.dhcpMode().toLowerCase();
        if (range == null && saved.rangeStart() != null && saved.rangeEnd() != null) {
            range = saved.rangeStart() + "-" + saved.rangeEnd();
        }
        if (router == null) router = saved.router();
        if (dns.isEmpty()) dns = new ArrayList<>(saved.dns());
        if (serverAddress == null) serverAddress = saved.serverAddress();
        if (ipxeDir == null && saved.ipxeDir() != null && !saved.ipxeDir().isBlank()) ipxeDir = Path.of(saved.ipxeDir());
    }

    private static Inet4Address ipv4(String s, String option) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) throw new IllegalArgumentException(option + ": not an IPv4 address: " + s);
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException(option + ": not an IPv4 address: " + s);
        }
    }
}
