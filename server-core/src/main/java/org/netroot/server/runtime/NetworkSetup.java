package org.netroot.server.runtime;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.netroot.server.api.DhcpProbeResult;
import org.netroot.server.api.IpxeCheck;
import org.netroot.server.api.NetworkInterfaceInfo;
import org.netroot.server.api.ServerSettings;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.dhcp.DhcpServerProbe;

/** What the first-run wizard asks of the machine: its interfaces, a DHCP probe with advice, the iPXE files. */
public final class NetworkSetup {
    /** The longest probe wait accepted: a DHCP server answers within a second or two. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private NetworkSetup() {
    }

    public static List<NetworkInterfaceInfo> interfaces(boolean includeLoopback) {
        List<NetworkInterfaceInfo> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                if (nif.isLoopback() && !includeLoopback) continue;
                Inet4Address v4 = null;
                int prefix = 0;
                for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address addr) {
                        v4 = addr;
                        prefix = a.getNetworkPrefixLength();
                        break;
                    }
                }
                byte[] mac = nif.getHardwareAddress();
                out.add(new NetworkInterfaceInfo(nif.getName(), v4 == null ? null : v4.getHostAddress(), prefix,
                        nif.isUp(), mac == null || mac.length == 0 ? null : HexFormat.ofDelimiter(":").formatHex(mac),
                        nif.isLoopback()));
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the network interfaces: " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing((NetworkInterfaceInfo i) -> !i.servable())
                .thenComparing(NetworkInterfaceInfo::name));
        return out;
    }

    /** Sends a DISCOVER on the interface, waits, and recommends proxy mode (a server answered) or full mode. */
    public static DhcpProbeResult probe(String interfaceName, Duration wait) {
        Optional<NetworkInterfaceInfo> nif = interfaces(true).stream().filter(i -> i.name().equals(interfaceName))
                .findFirst();
        if (nif.isEmpty()) return DhcpProbeResult.failed(interfaceName, "there is no network interface named "
                + interfaceName + " on this machine");
        if (!nif.get().up()) return DhcpProbeResult.failed(interfaceName, "interface " + interfaceName
                + " is down: connect its cable (or `sudo ip link set " + interfaceName + " up`) and try again");
        if (nif.get().ipv4() == null) return DhcpProbeResult.failed(interfaceName, "interface " + interfaceName
                + " has no IPv4 address: give it one, or choose another interface");
        Duration w = wait == null || wait.isNegative() || wait.isZero() ? Duration.ofSeconds(2)
                : wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        List<DhcpServerProbe.Offer> offers;
        try {
            offers = DhcpServerProbe.probe(interfaceName, mac(nif.get()), w, ownAddresses());
        } catch (IllegalStateException e) {
            return DhcpProbeResult.failed(interfaceName, e.getMessage());
        }
        if (!offers.isEmpty()) {
            DhcpServerProbe.Offer o = offers.getFirst();
            return new DhcpProbeResult(interfaceName, true, text(o.server()), text(o.offered()), text(o.router()),
                    text(o.subnetMask()), ServerSettings.PROXY, null, null, null);
        }
        RangeAdvice.Range r = RangeAdvice.suggest(nif.get().ipv4(), nif.get().prefixLength());
        return new DhcpProbeResult(interfaceName, false, null, null, null, null, ServerSettings.FULL,
                r == null ? null : r.start(), r == null ? null : r.end(), null);
    }

    /** Whether the iPXE binaries firmware needs are in {@code folder}, and where to get them when not. */
    public static IpxeCheck ipxeCheck(Path folder) {
        String fix = "Debian/Ubuntu: `sudo apt install ipxe` (puts them in " + IpxeBinaries.DEFAULT_DIR_NAME
                + "); or download undionly.kpxe and snponly.efi from https://boot.ipxe.org/ into a folder and choose"
                + " that folder in the settings (--ipxe-dir)";
        if (folder == null || !Files.isDirectory(folder)) {
            return new IpxeCheck(String.valueOf(folder), false, false, List.of(), List.of("the iPXE folder " + folder
                    + " does not exist: PXE firmware cannot boot until the iPXE boot files are there"), fix);
        }
        IpxeBinaries found = IpxeBinaries.scan(folder);
        boolean bios = found.hasAny(IpxeBinaries.BIOS);
        boolean uefi = found.hasAny(IpxeBinaries.EFI_X64);
        List<String> problems = new ArrayList<>();
        if (!bios) problems.add(String.join(" and ", IpxeBinaries.BIOS) + " is missing from " + folder
                + ": BIOS PCs cannot boot");
        if (!uefi) problems.add(String.join(" or ", IpxeBinaries.EFI_X64) + " is missing from " + folder
                + ": UEFI PCs cannot boot");
        return new IpxeCheck(folder.toString(), bios, uefi, List.copyOf(found.present()), problems,
                problems.isEmpty() ? "" : fix);
    }

    /** This machine's IPv4 addresses: offers from them come from Netroot's own DHCP service. */
    static Set<InetAddress> ownAddresses() {
        Set<InetAddress> own = new HashSet<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                nif.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(own::add);
            }
        } catch (SocketException e) {
            // none known: every offer counts
        }
        return own;
    }

    private static byte[] mac(NetworkInterfaceInfo nif) {
        if (nif.mac() != null && nif.mac().length() == 17) return HexFormat.ofDelimiter(":").parseHex(nif.mac());
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        random[0] = (byte) ((random[0] & 0xfc) | 0x02); // locally administered, unicast
        return random;
    }

    private static String text(InetAddress a) {
        return a == null ? null : a.getHostAddress();
    }
}
