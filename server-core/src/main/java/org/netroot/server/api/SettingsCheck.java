package org.netroot.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@link ServerSettings} against this machine's interfaces and says, in words, what is wrong:
 * the app shows the words next to the fields, the server refuses to save settings that have any.
 */
public final class SettingsCheck {
    private SettingsCheck() {
    }

    public static List<String> problems(ServerSettings s, List<NetworkInterfaceInfo> interfaces) {
        List<String> out = new ArrayList<>();
        String mode = s.dhcpMode();
        if (!List.of(ServerSettings.PROXY, ServerSettings.FULL, ServerSettings.OFF).contains(mode)) {
            out.add("DHCP mode is proxy, full or off, not " + mode.toLowerCase());
            return out;
        }
        NetworkInterfaceInfo first = null;
        for (String name : s.interfaces()) {
            Optional<NetworkInterfaceInfo> nif = interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
            if (nif.isEmpty()) {
                out.add("there is no network interface named " + name + " on this machine");
            } else if (nif.get().ipv4() == null && !mode.equals(ServerSettings.OFF)) {
                out.add("interface " + name + " has no IPv4 address: give it one, or choose another interface");
            } else if (first == null) {
                first = nif.get();
            }
        }
        address(s.router(), "the router", out);
        address(s.serverAddress(), "the server address", out);
        for (String d : s.dns()) address(d, "the DNS server", out);
        if (mode.equals(ServerSettings.FULL)) checkRange(s, first, out);
        return out;
    }

    private static void checkRange(ServerSettings s, NetworkInterfaceInfo on, List<String> out) {
        if (blank(s.rangeStart()) || blank(s.rangeEnd())) {
            out.add("full mode needs the range of addresses to hand out (first and last)");
            return;
        }
        Long start = Ipv4.parse(s.rangeStart());
        Long end = Ipv4.parse(s.rangeEnd());
        if (start == null) out.add("the range's first address " + s.rangeStart() + " is not an IPv4 address");
        if (end == null) out.add("the range's last address " + s.rangeEnd() + " is not an IPv4 address");
        if (start == null || end == null) return;
        if (start > end) out.add("the range's first address " + s.rangeStart() + " comes after its last " + s.rangeEnd());
        if (on == null) return;
        long own = Ipv4.parse(on.ipv4());
        String subnet = Ipv4.subnet(on.ipv4(), on.prefixLength());
        if (!Ipv4.sameSubnet(start, own, on.prefixLength()) || !Ipv4.sameSubnet(end, own, on.prefixLength())) {
            out.add("the range " + s.rangeStart() + " - " + s.rangeEnd() + " is not inside " + on.name()
                    + "'s network " + subnet + ": clients there could not reach this server");
        } else if (start <= own && own <= end) {
            out.add("the range " + s.rangeStart() + " - " + s.rangeEnd() + " contains this server's own address "
                    + on.ipv4() + ": start it after or end it before that address");
        }
    }

    private static void address(String value, String what, List<String> out) {
        if (!blank(value) && Ipv4.parse(value) == null) out.add(what + " " + value + " is not an IPv4 address");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Dotted IPv4 text as an unsigned number, and subnet arithmetic on it. */
    public static final class Ipv4 {
        private Ipv4() {
        }

        /** The address as a number, or null when {@code text} is not four dotted decimals 0-255. */
        public static Long parse(String text) {
            if (text == null || !text.trim().matches("\\d{1,3}(\\.\\d{1,3}){3}")) return null;
            long v = 0;
            for (String part : text.trim().split("\\.")) {
                int b = Integer.parseInt(part);
                if (b > 255) return null;
                v = v << 8 | b;
            }
            return v;
        }

        public static String format(long v) {
            return (v >>> 24 & 255) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
        }

        public static long mask(int prefix) {
            return prefix <= 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        }

        public static boolean sameSubnet(long a, long b, int prefix) {
            return (a & mask(prefix)) == (b & mask(prefix));
        }

        /** "192.168.1.0/24" */
        public static String subnet(String address, int prefix) {
            return format(parse(address) & mask(prefix)) + "/" + prefix;
        }
    }
}
