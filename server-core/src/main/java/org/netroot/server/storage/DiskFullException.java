package org.netroot.server.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A write failed because the file system holding the volume has no space left (ENOSPC, or
 * EDQUOT: the user's quota is used up). The volume's existing data is intact: the write that
 * failed never became visible (a qcow2 image's tables never point at a cluster that was not
 * written). The SCSI layer answers DATA PROTECT, SPACE ALLOCATION FAILED WRITE PROTECT.
 */
public final class DiskFullException extends IOException {
    private final Path file;

    /** {@code file} may be null when the device cannot say which file it wrote. */
    public DiskFullException(Path file, IOException cause) {
        super("the disk holding " + (file == null ? "the volume" : file) + " is full (" + cause.getMessage()
                + "): free space on it, or move volumes to a larger disk", cause);
        this.file = file;
    }

    /** The volume file whose write failed, or null. */
    public Path file() {
        return file;
    }

    /**
     * Java reports ENOSPC and EDQUOT only as an IOException whose message is the C library's
     * strerror text ("No space left on device", "Disk quota exceeded"); nothing else tells them apart.
     */
    public static boolean isDiskFull(IOException e) {
        if (e instanceof DiskFullException) return true;
        String m = e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }

    /** {@code e} as a {@link DiskFullException} for {@code file} when it says the disk is full, else {@code e}. */
    public static IOException classify(Path file, IOException e) {
        if (e instanceof DiskFullException || !isDiskFull(e)) return e;
        return new DiskFullException(file, e);
    }
}
