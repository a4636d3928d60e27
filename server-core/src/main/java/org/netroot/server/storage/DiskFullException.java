package org.netroot.server.storage;

import java.io.IOException;
import java.nio.file.Files;
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

    /** Below this much usable space a failed write is taken for a full disk, whatever its message says. */
    static final long NEARLY_FULL_BYTES = 1 << 20;

    /**
     * Java reports ENOSPC and EDQUOT only as an IOException whose message is the C library's
     * strerror text ("No space left on device", "Disk quota exceeded"), in English only when the
     * process runs in an English or C locale; nothing else tells them apart. See
     * {@link #isDiskFull(IOException, Path)} for the check that does not depend on the words.
     */
    public static boolean isDiskFull(IOException e) {
        if (e instanceof DiskFullException) return true;
        String m = e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }

    /**
     * True when {@code e} says the disk is full, or when the file system holding {@code path} has
     * less than 1 MiB left for users (the strerror text is translated under another locale:
     * "Auf dem Gerät ist kein Speicherplatz mehr verfügbar"). A quota that is used up while the disk
     * has room is recognised by the English words only.
     */
    public static boolean isDiskFull(IOException e, Path path) {
        return isDiskFull(e) || (path != null && nearlyFull(path));
    }

    private static boolean nearlyFull(Path path) {
        try {
            Path p = path;
            while (p != null && !Files.exists(p)) p = p.getParent(); // a file that was never created: its folder's store
            return p != null && Files.getFileStore(p).getUsableSpace() < NEARLY_FULL_BYTES;
        } catch (IOException | RuntimeException e) {
            return false; // no answer: the message alone decides
        }
    }

    /** {@code e} as a {@link DiskFullException} for {@code file} when the disk is full (see {@link #isDiskFull(IOException, Path)}), else {@code e}. */
    public static IOException classify(Path file, IOException e) {
        if (e instanceof DiskFullException || !isDiskFull(e, file)) return e;
        return new DiskFullException(file, e);
    }
}
