package org.netroot.app.ui.volumes;

import org.junit.jupiter.api.Test;
import org.netroot.server.api.DiskSpace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResizeCheckTest {
    static final long GIB = 1L << 30;

    @Test
    void growingWorksWhileTheClientRunsAndSaysItSeesTheSizeAtOnce() {
        ResizeCheck c = ResizeCheck.of("128G", 64 * GIB, "pc1", false);
        assertTrue(c.canApply());
        assertFalse(c.shrink());
        assertEquals(128 * GIB, c.newSizeBytes());
        assertTrue(c.message().contains("the client sees the new size at once"), c.message());
    }

    @Test
    void shrinkingNeedsTheConfirmationAndWarnsWhenAClientIsAttached() {
        ResizeCheck unconfirmed = ResizeCheck.of("32G", 64 * GIB, null, false);
        assertTrue(unconfirmed.shrink());
        assertFalse(unconfirmed.canApply(), "not without the checkbox");
        assertTrue(unconfirmed.message().startsWith("Smaller than now (64.0 GiB)"), unconfirmed.message());
        assertTrue(ResizeCheck.of("32G", 64 * GIB, null, true).canApply());
        assertEquals("I understand data past 32.0 GiB is lost", ResizeCheck.confirmation(32 * GIB));
        assertTrue(ResizeCheck.of("32G", 64 * GIB, "pc1", true).message()
                .contains("pc1 is using it: the server refuses a shrink"));
    }

    @Test
    void invalidOrUnchangedSizesCannotBeApplied() {
        assertFalse(ResizeCheck.of("64G", 64 * GIB, null, true).canApply());
        ResizeCheck bad = ResizeCheck.of("100", 64 * GIB, null, true);
        assertFalse(bad.canApply());
        assertTrue(bad.message().contains("multiple of 512"));
    }

    @Test
    void growingPastTheFreeSpaceIsAllowedWithAWarning() {
        DiskSpace space = new DiskSpace("/data/volumes", 100 * GIB, 500 * GIB);
        ResizeCheck past = ResizeCheck.of("128G", 64 * GIB, null, false, space);
        assertTrue(past.canApply(), "volumes are sparse: allowed");
        assertTrue(past.pastFreeSpace());
        assertEquals("Grows from 64.0 GiB to 128 GiB, larger than the free space on the data folder's disk (100 GiB):"
                + " allowed, volumes are sparse, but writes fail once the disk is full.", past.message());
        assertFalse(ResizeCheck.of("96G", 64 * GIB, null, false, space).pastFreeSpace(), "fits");
        assertFalse(ResizeCheck.of("128G", 64 * GIB, null, false, null).pastFreeSpace(), "free space not read yet");
        assertFalse(ResizeCheck.of("128G", 64 * GIB, null, false, new DiskSpace("/d", -1, -1)).pastFreeSpace(),
                "unknown free space");
        assertFalse(ResizeCheck.of("32G", 200 * GIB, null, true, space).pastFreeSpace(), "a shrink never warns");
    }
}
