package org.netroot.server.testing;

import java.util.Arrays;
import java.util.Random;

/**
 * Damaged copies of valid packets, for the codecs' property tests: random input alone rarely gets
 * past a parser's first check, a valid packet with a few bytes changed reaches the deep paths.
 * The damage is drawn from the try's {@link Random} ({@link Tries}), so a failing example replays from its seed.
 */
public final class Mutations {
    private Mutations() {
    }

    /** {@code valid} with 1..8 of: a byte changed, the end cut off, bytes inserted, a run zeroed or set to 0xff. */
    public static byte[] of(byte[] valid, Random random) {
        return mutate(valid, 1 + random.nextInt(8), random);
    }

    static byte[] mutate(byte[] original, int mutations, Random random) {
        byte[] b = original.clone();
        for (int m = 0; m < mutations; m++) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    if (b.length > 0) b[at] = (byte) random.nextInt(256);
                }
                case 2 -> b = Arrays.copyOf(b, at); // truncated
                case 3 -> { // bytes inserted
                    byte[] extra = new byte[1 + random.nextInt(8)];
                    random.nextBytes(extra);
                    byte[] longer = new byte[b.length + extra.length];
                    System.arraycopy(b, 0, longer, 0, at);
                    System.arraycopy(extra, 0, longer, at, extra.length);
                    System.arraycopy(b, at, longer, at + extra.length, b.length - at);
                    b = longer;
                }
                case 4 -> Arrays.fill(b, at, Math.min(b.length, at + 1 + random.nextInt(8)), (byte) 0);
                default -> Arrays.fill(b, at, Math.min(b.length, at + 1 + random.nextInt(8)), (byte) 0xff);
            }
        }
        return b;
    }
}
