package org.netroot.server.api;

import java.time.Instant;
import java.util.List;

/**
 * A virtual disk: a file in the data folder's volumes directory. {@code format} says how the
 * file holds the disk ({@link #RAW} or {@link #QCOW2}). {@code allocatedBytes} is what the file
 * really occupies on the server's disk (less than {@code sizeBytes} while sparse), -1 when unknown.
 *
 * @param golden    a read-only golden image: clients that boot it see a write-protected disk, and
 *                  {@link NetrootControl#cloneVolume} makes overlays of it
 * @param overlayOf the golden image this qcow2 overlay reads what it did not write from; null when
 *                  it stands alone
 * @param snapshots the volume's internal snapshots by name, oldest first (qcow2; a raw volume has none);
 *                  filled in lists ({@link NetrootControl#volumes()}) and by the snapshot calls
 * @param shared    several initiators may have it open at once (a cluster disk, coordinated by SCSI
 *                  reservations); any other volume has one user at a time
 */
public record Volume(String name, long sizeBytes, String fileName, Instant createdAt, String format,
                     long allocatedBytes, boolean golden, String overlayOf, List<String> snapshots, boolean shared) {
    public static final String RAW = "raw";
    public static final String QCOW2 = "qcow2";
    /** What a new empty volume is made as when no format is asked for. */
    public static final String DEFAULT_FORMAT = QCOW2;

    public Volume {
        if (format == null) format = RAW; // a record from before formats
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    /** A volume that is not shared. */
    public Volume(String name, long sizeBytes, String fileName, Instant createdAt, String format, long allocatedBytes,
                  boolean golden, String overlayOf, List<String> snapshots) {
        this(name, sizeBytes, fileName, createdAt, format, allocatedBytes, golden, overlayOf, snapshots, false);
    }

    /** A raw volume whose disk usage is not known. */
    public Volume(String name, long sizeBytes, String fileName, Instant createdAt) {
        this(name, sizeBytes, fileName, createdAt, RAW, -1);
    }

    /** A volume that is neither golden nor an overlay. */
    public Volume(String name, long sizeBytes, String fileName, Instant createdAt, String format, long allocatedBytes) {
        this(name, sizeBytes, fileName, createdAt, format, allocatedBytes, false, null, List.of());
    }

    public Volume withSnapshots(List<String> names) {
        return new Volume(name, sizeBytes, fileName, createdAt, format, allocatedBytes, golden, overlayOf, names, shared);
    }

    public Volume withAllocatedBytes(long bytes) {
        return new Volume(name, sizeBytes, fileName, createdAt, format, bytes, golden, overlayOf, snapshots, shared);
    }

    /** True for an overlay of a golden image (not a bean getter: JSON keeps only the components). */
    public boolean overlay() {
        return overlayOf != null;
    }
}
