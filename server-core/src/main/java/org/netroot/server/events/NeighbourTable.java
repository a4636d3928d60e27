package org.netroot.server.events;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The MACs the kernel's IPv4 neighbour table (ARP) holds for an address: what the link layer says is
 * really at an address a TCP peer connected from. A DHCP packet is a broadcast anyone can forge with
 * another machine's MAC in it; the neighbour entry of a connected peer comes from its own frames, so a
 * forger must spoof its MAC on the wire too. Read from {@code /proc/net/arp} on Linux, per question (a
 * small in-memory file; asked on script requests and NBD handshakes only); elsewhere, or when the file
 * cannot be read, it knows nothing, and nothing is contradicted.
 */
@FunctionalInterface
public interface NeighbourTable {
    /** Never knows an address: no contradiction, ever (tests, other systems). */
    NeighbourTable NONE = address -> Set.of();

    /** The lower-case MACs with a complete entry for {@code address}; empty when none is known. */
    Set<String> macsAt(InetAddress address);

    /** Linux's table when this system has one, else {@link #NONE}. */
    static NeighbourTable system() {
        Path arp = Path.of("/proc/net/arp");
        if (!Files.isReadable(arp)) return NONE;
        return address -> {
            if (!(address instanceof Inet4Address) || address.isLoopbackAddress()) return Set.of();
            try {
                return parse(Files.readString(arp, StandardCharsets.US_ASCII), address);
            } catch (IOException e) {
                return Set.of();
            }
        };
    }

    /**
     * The complete entries (flag ATF_COM, 0x2) for {@code address} in the text of {@code /proc/net/arp}:
     * "IP address  HW type  Flags  HW address  Mask  Device", one line per entry after the header.
     */
    static Set<String> parse(String procNetArp, InetAddress address) {
        Set<String> macs = new TreeSet<>();
        String ip = address.getHostAddress();
        String[] lines = procNetArp.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 4 || !f[0].equals(ip)) continue;
            int flags;
            try {
                flags = Integer.decode(f[2]);
            } catch (NumberFormatException e) {
                continue;
            }
            if ((flags & 0x2) != 0 && f[3].matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) macs.add(f[3].toLowerCase(Locale.ROOT));
        }
        return macs;
    }
}
