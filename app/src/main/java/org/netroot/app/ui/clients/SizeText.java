package org.netroot.app.ui.clients;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A disk size typed by a person: "32 GiB", "500M", "1.5 T" (binary units; a plain number is GiB). */
public final class SizeText {
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:[.,]\\d+)?)\\s*([kmgtp]?)(?:i?b)?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "kmgtp";

    private SizeText() {
    }

    /** The size in bytes, rounded up to whole 512-byte blocks; -1 when the text is no size. */
    public static long parse(String text) {
        if (text == null) return -1;
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) return -1;
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int power = unit.isEmpty() ? 3 : UNITS.indexOf(unit) + 1;
        try {
            BigDecimal bytes = new BigDecimal(m.group(1).replace(',', '.')).multiply(BigDecimal.valueOf(1024).pow(power));
            long n = bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
            if (n <= 0) return -1;
            return (n + 511) / 512 * 512;
        } catch (ArithmeticException e) {
            return -1; // beyond a long
        }
    }
}
