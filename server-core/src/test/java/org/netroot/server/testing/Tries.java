package org.netroot.server.testing;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Runs a property (a check on one random input) a given number of times, each try with its own
 * {@link Random}. The run's seed is drawn once per test run, or given with
 * {@code -Dnetroot.seed=N}; every try's seed derives from it, the property's name and the try's
 * number, so a failure names the seed and the same seed replays the same inputs:
 * {@code ./mvnw test -Dtest='DhcpPacketPropertyTest' -Dnetroot.seed=N}.
 */
public final class Tries {
    /** One per test run; from {@code -Dnetroot.seed} to replay a failure. */
    public static final long RUN_SEED = Long.getLong("netroot.seed", new SecureRandom().nextLong());

    private Tries() {
    }

    /** A check on one input drawn from {@code random}; throws (an assertion) when the property does not hold. */
    @FunctionalInterface
    public interface Property {
        void check(Random random) throws Exception;
    }

    /** Runs {@code property} {@code tries} times; the first failure fails the test naming its try and the seed. */
    public static void run(String name, int tries, Property property) {
        for (int i = 0; i < tries; i++) {
            Random random = new Random(seed(name, i));
            try {
                property.check(random);
            } catch (Throwable t) {
                AssertionError failed = new AssertionError(name + " failed at try " + (i + 1) + " of " + tries
                        + " with seed " + RUN_SEED + " (replay: -Dnetroot.seed=" + RUN_SEED + "): " + t, t);
                throw failed;
            }
        }
    }

    static long seed(String name, int attempt) {
        long h = RUN_SEED ^ (name.hashCode() * 0x9E3779B97F4A7C15L) ^ (attempt * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 33; // a mix, so neighbouring tries do not start from neighbouring seeds
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
