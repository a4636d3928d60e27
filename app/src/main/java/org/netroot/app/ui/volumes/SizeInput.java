package org.netroot.app.ui.volumes;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A disk size as people type it: "64G", "64 GiB", "500M", "1.5T", "1048576" (bytes). K, M, G, T
 * and KiB..TiB are powers of 1024 (as qemu-img and most disk tools read them); KB, MB, GB, TB
 * are powers of 1000. A size must be whole 512-byte blocks and more than zero. Pure Java: no UI.
 */
public final class SizeInput {
    public static final long BLOCK = 512;
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:[.,]\\d+)?)\\s*([a-zA-Z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1L << 10), Map.entry("kib", 1L << 10), Map.entry("kb", 1000L),
            Map.entry("m", 1L << 20), Map.entry("mib", 1L << 20), Map.entry("mb", 1000_000L),
            Map.entry("g", 1L << 30), Map.entry("gib", 1L << 30), Map.entry("gb", 1000_000_000L),
            Map.entry("t", 1L << 40), Map.entry("tib", 1L << 40), Map.entry("tb", 1000_000_000_000L));

    /** What was typed, read: {@code bytes} when valid, else {@code error} says why not (in words). */
    public record Parsed(long bytes, String error) {
        public boolean valid() {
            return error == null;
        }

        static Parsed ok(long bytes) {
            return new Parsed(bytes, null);
        }

        static Parsed bad(String why) {
            return new Parsed(-1, why);
        }
    }

    private SizeInput() {
    }

    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) return Parsed.bad("Type a size, e.g. 64G or 500 MiB");
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) return Parsed.bad("\"" + text.strip() + "\" is not a size: type a number and a unit, e.g. 64G");
        Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            return Parsed.bad("Unknown unit \"" + m.group(2) + "\": use B, K, M, G, T (or KiB..TiB, KB..TB)");
        }
        BigDecimal bytes = new BigDecimal(m.group(1).replace(',', '.')).multiply(BigDecimal.valueOf(unit));
        if (bytes.signum() == 0) return Parsed.bad("The size must be more than zero");
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) return Parsed.bad("That is too large for a disk");
        if (bytes.stripTrailingZeros().scale() > 0) return Parsed.bad("That is not a whole number of bytes");
        long n = bytes.longValueExact();
        if (n % BLOCK != 0) {
            long up = (n / BLOCK + 1) * BLOCK;
            return Parsed.bad(n + " bytes is not a multiple of 512 (a disk block): try " + up + " bytes");
        }
        return Parsed.ok(n);
    }
}
