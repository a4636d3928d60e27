package org.netroot.server.cli;

import java.util.Locale;

/** Sizes as people write them: 512, 64M, 20G, 1T (binary units). */
final class Sizes {
    private Sizes() {
    }

    static long parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                case 'T' -> mult = 1L << 40;
                default -> mult = 1;
            }
            if (mult != 1) t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t.trim());
            if (v <= 0) throw new NumberFormatException();
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: " + s + " (use e.g. 512M, 20G)");
        }
    }

    static String human(long bytes) {
        return org.netroot.server.api.DiskSpace.human(bytes);
    }
}
