package org.netroot.app.ui.volumes;

import org.junit.jupiter.api.Test;
import org.netroot.server.api.DiskSpace;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeSpaceTest {
    static final long GIB = 1L << 30;
    final DiskSpace space = new DiskSpace("/data/volumes", 10 * GIB, 100 * GIB);

    static VolumeRow row(long size, long used, boolean golden) {
        return new VolumeRow("v", "qcow2", size, used, Instant.EPOCH, null, 0, 0, golden, null, List.of(), false);
    }

    @Test
    void aSizePastTheFreeSpaceIsWarnedAboutInTheWordsTheDialogsShow() {
        assertNull(FreeSpace.pastFree(10 * GIB, space), "exactly the free space fits");
        assertEquals("larger than the free space on the data folder's disk (10.0 GiB): allowed, volumes are sparse,"
                + " but writes fail once the disk is full", FreeSpace.pastFree(10 * GIB + 512, space));
        assertNull(FreeSpace.pastFree(1000 * GIB, null), "not read yet");
        assertNull(FreeSpace.pastFree(1000 * GIB, new DiskSpace("/d", -1, -1)), "unknown");
    }

    @Test
    void theLineSaysFreeOfTotal() {
        assertEquals("Free on the data folder's disk: 10.0 GiB of 100 GiB", FreeSpace.line(space));
        assertEquals("", FreeSpace.line(null));
        assertEquals("Free space on the data folder's disk: unknown", FreeSpace.line(new DiskSpace("/d", -1, -1)));
    }

    @Test
    void overcommittedCountsWhatWritableVolumesCanStillGrow() {
        assertFalse(FreeSpace.overcommitted(List.of(row(8 * GIB, 0, false), row(4 * GIB, 3 * GIB, false)), space),
                "8 + 1 GiB to grow fits in 10");
        assertTrue(FreeSpace.overcommitted(List.of(row(8 * GIB, 0, false), row(4 * GIB, 0, false)), space));
        assertFalse(FreeSpace.overcommitted(List.of(row(8 * GIB, 0, false), row(400 * GIB, 0, true)), space),
                "a golden image is read-only: it does not grow");
        assertFalse(FreeSpace.overcommitted(List.of(row(800 * GIB, -1, false)), null), "free space not read yet");
    }
}
