package org.netroot.server.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Volume;

/**
 * Overlay creation time for bench/volumes.sh (not a unit test): attaches to the running server of a
 * data folder once (the control API, as the app does), then clones the golden image {@code count}
 * times in a row, timing each call; the JVM's start and the connection are outside the timing.
 * Prints {@code total_ms T median_ms M max_ms X} and checks each overlay has the golden image's size.
 *
 * <pre>
 *   OverlayClones DATA_DIR GOLDEN COUNT NAME_PREFIX
 * </pre>
 */
public final class OverlayClones {
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: OverlayClones DATA_DIR GOLDEN COUNT NAME_PREFIX");
            System.exit(2);
        }
        String golden = args[1];
        int count = Integer.parseInt(args[2]);
        try (NetrootControl control = Netroot.attach(Path.of(args[0]))) {
            long size = control.volumes().stream().filter(v -> v.name().equals(golden)).findFirst()
                    .map(Volume::sizeBytes).orElseThrow(() -> new IllegalArgumentException("no volume " + golden));
            double[] ms = new double[count];
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                Volume v = control.cloneVolume(golden, args[3] + (i + 1));
                ms[i] = (System.nanoTime() - t0) / 1e6;
                if (v.sizeBytes() != size) throw new IllegalStateException("overlay " + v.name() + " has " + v.sizeBytes()
                        + " bytes, the golden image " + size);
            }
            double total = (System.nanoTime() - start) / 1e6;
            Arrays.sort(ms);
            double median = count % 2 == 1 ? ms[count / 2] : (ms[count / 2 - 1] + ms[count / 2]) / 2;
            System.out.printf(Locale.ROOT, "total_ms %.1f median_ms %.2f max_ms %.2f%n", total, median, ms[count - 1]);
        }
    }
}
