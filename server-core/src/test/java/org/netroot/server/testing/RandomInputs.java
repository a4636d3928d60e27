package org.netroot.server.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Random values for the property tests, leaning to the edges where parsers break: empty and short
 * inputs, lengths at the limit, 0x00 and 0xff bytes.
 */
public final class RandomInputs {
    private RandomInputs() {
    }

    /** A length in {@code [min, max]}: often small or at a bound, else anywhere. */
    public static int length(Random r, int min, int max) {
        return switch (r.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3 -> min + r.nextInt(Math.min(max - min, 16) + 1);
            default -> min + r.nextInt(max - min + 1);
        };
    }

    public static byte[] bytes(Random r, int maxLength) {
        return bytes(r, 0, maxLength);
    }

    public static byte[] bytes(Random r, int minLength, int maxLength) {
        byte[] b = new byte[length(r, minLength, maxLength)];
        switch (r.nextInt(6)) {
            case 0 -> java.util.Arrays.fill(b, (byte) 0);
            case 1 -> java.util.Arrays.fill(b, (byte) 0xff);
            default -> r.nextBytes(b);
        }
        return b;
    }

    /** An int in {@code [min, max]}, the bounds more often than the rest. */
    public static int between(Random r, int min, int max) {
        return switch (r.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            default -> (int) (min + (long) (r.nextDouble() * ((long) max - min + 1)));
        };
    }

    /** A long in {@code [min, max]}, the bounds and small values more often than the rest. */
    public static long between(Random r, long min, long max) {
        return switch (r.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> Math.max(min, Math.min(max, r.nextInt(1000)));
            default -> min + (long) (r.nextDouble() * ((double) max - min));
        };
    }

    /** Any int, 0, -1 and the extremes more often. */
    public static int anyInt(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            default -> r.nextInt();
        };
    }

    /** Characters from {@code from} to {@code to}, {@code [minLength, maxLength]} of them. */
    public static String string(Random r, char from, char to, int minLength, int maxLength) {
        int n = length(r, minLength, maxLength);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) s.append((char) (from + r.nextInt(to - from + 1)));
        return s.toString();
    }

    @SafeVarargs
    public static <T> T oneOf(Random r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    public static <T> T oneOf(Random r, List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    /** Up to {@code maxSize} entries (fewer when keys repeat), in insertion order. */
    public static <K, V> Map<K, V> map(Random r, int maxSize, Function<Random, K> key, Function<Random, V> value) {
        int n = length(r, 0, maxSize);
        Map<K, V> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put(key.apply(r), value.apply(r));
        return m;
    }
}
