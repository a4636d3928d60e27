package org.netroot.server.api;

import java.util.Locale;

/**
 * The disk holding the data folder's volumes: {@code freeBytes} is what volumes can still grow
 * into (-1 when unknown). Volumes are sparse, so their sizes may add up to more than this.
 */
public record DiskSpace(String folder, long freeBytes, long totalBytes) {
    /** Sizes as the CLI and messages show them: "1.5 GiB", "512 MiB", "900 B". */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v))
                + " " + units[i];
    }
}
