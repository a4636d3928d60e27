package org.netroot.app.ui.volumes;

import org.netroot.app.ui.common.Formats;
import org.netroot.server.api.DiskSpace;

import java.util.Collection;

/**
 * The data folder's free space in words: the line beside the toolbar, and the warning the create
 * and resize dialogs give for a size past it. Volumes are sparse, so such a size is allowed (the
 * server says the same in its warning); it only fails once the data written fills the disk.
 * Pure Java: unit-tested without a screen.
 */
final class FreeSpace {
    private FreeSpace() {
    }

    /** The dialogs' warning for a volume that may grow to {@code sizeBytes}; null when it fits or the space is unknown. */
    static String pastFree(long sizeBytes, DiskSpace space) {
        if (space == null || space.freeBytes() < 0 || sizeBytes <= space.freeBytes()) return null;
        return "larger than the free space on the data folder's disk (" + Formats.bytes(space.freeBytes())
                + "): allowed, volumes are sparse, but writes fail once the disk is full";
    }

    /** "Free on the data folder's disk: 41.2 GiB of 100 GiB". */
    static String line(DiskSpace space) {
        if (space == null) return ""; // not read yet
        if (space.freeBytes() < 0) return "Free space on the data folder's disk: unknown";
        return "Free on the data folder's disk: " + Formats.bytes(space.freeBytes())
                + (space.totalBytes() > 0 ? " of " + Formats.bytes(space.totalBytes()) : "");
    }

    /**
     * Whether the volumes could together grow past the free space: each writable volume may still
     * take up to its size less what it holds now (golden images are read-only and stay as they are).
     */
    static boolean overcommitted(Collection<VolumeRow> rows, DiskSpace space) {
        if (space == null || space.freeBytes() < 0) return false;
        long growth = 0;
        for (VolumeRow r : rows) {
            if (r.golden()) continue;
            growth += Math.max(0, r.sizeBytes() - Math.max(0, r.usedBytes()));
            if (growth > space.freeBytes()) return true;
        }
        return false;
    }
}
