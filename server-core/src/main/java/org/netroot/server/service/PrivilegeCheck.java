package org.netroot.server.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tells, before binding anything, which ports this process may not bind and how to fix it:
 * a user starting {@code netroot serve} unprivileged gets one clear list instead of four errors.
 */
public final class PrivilegeCheck {
    private static final int CAP_NET_BIND_SERVICE = 10;

    private PrivilegeCheck() {
    }

    /** @param ports "67/udp (DHCP)" -> 67, in the order to report */
    public static Optional<String> problem(Map<String, Integer> ports) {
        return problem(ports, mayBindPrivilegedPorts(), unprivilegedPortStart());
    }

    static Optional<String> problem(Map<String, Integer> ports, boolean privileged, int firstUnprivileged) {
        if (privileged) return Optional.empty();
        List<String> blocked = new ArrayList<>();
        ports.forEach((label, port) -> {
            if (port > 0 && port < firstUnprivileged) blocked.add(label);
        });
        if (blocked.isEmpty()) return Optional.empty();
        String java = ProcessHandle.current().info().command().orElse("<path to java>");
        String which = blocked.size() == 1 ? "port " + blocked.get(0) + " needs" : "ports " + String.join(", ", blocked) + " need";
        return Optional.of(which + " privileges. Either run as root or as the"
                + " netroot system service, or let this Java bind them once with"
                + " `sudo setcap cap_net_bind_service,cap_net_raw=+ep " + java + "`,"
                + " or (for testing) choose ports above " + (firstUnprivileged - 1) + " with --tftp-port/--http-port/...");
    }

    static boolean mayBindPrivilegedPorts() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.split("\\s+");
                    if (f.length > 2 && f[2].equals("0")) return true;
                }
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    if ((caps & (1L << CAP_NET_BIND_SERVICE)) != 0) return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // not Linux: let the bind itself report
        }
    }

    static int unprivilegedPortStart() {
        try {
            // readAllLines, not readString: /proc files report size 0 and readString returned only "1" of "1024"
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 1024;
        }
    }
}
