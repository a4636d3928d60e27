package org.netroot.server.runtime;

import java.util.List;
import org.netroot.server.api.SettingsCheck.Ipv4;

/**
 * The address range full-mode DHCP suggests on an interface: in a /24 or larger network .100-.200 of
 * the interface's own /24 (or .20-.99, .201-.250 when the interface's address is in there); in a
 * smaller network the upper half of its hosts (the lower half when the interface sits in the upper).
 */
final class RangeAdvice {
    record Range(String start, String end) {
    }

    private RangeAdvice() {
    }

    /** Null when the network has no room for a range beside the interface. */
    static Range suggest(String address, int prefix) {
        long own = Ipv4.parse(address);
        if (prefix <= 24) {
            long base = own & Ipv4.mask(24);
            for (long[] r : List.of(new long[] {100, 200}, new long[] {20, 99}, new long[] {201, 250})) {
                if (own < base + r[0] || own > base + r[1]) return range(base + r[0], base + r[1]);
            }
        }
        if (prefix > 30) return null;
        long network = own & Ipv4.mask(prefix);
        long hosts = (1L << (32 - prefix)) - 2;
        long first = network + 1;
        long last = network + hosts;
        long middle = first + hosts / 2;
        if (own < middle) return range(middle, last);
        return middle - 1 >= first && own > middle - 1 ? range(first, middle - 1) : null;
    }

    private static Range range(long start, long end) {
        return new Range(Ipv4.format(start), Ipv4.format(end));
    }
}
