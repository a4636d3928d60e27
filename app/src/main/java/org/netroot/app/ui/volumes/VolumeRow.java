package org.netroot.app.ui.volumes;

import java.time.Instant;
import java.util.List;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

/**
 * One line of the volumes table: the volume joined with its live activity (no client, no I/O when none).
 *
 * @param golden    a read-only golden image (the source of overlays)
 * @param overlayOf the golden image this overlay reads from; null when it stands alone
 * @param snapshots the volume's snapshots by name, oldest first (qcow2 only; a raw volume has none)
 * @param shared    several clients may have it open and write it at once (a cluster disk)
 */
public record VolumeRow(String name, String format, long sizeBytes, long usedBytes, Instant createdAt,
                        String clientName, double readBytesPerSecond, double writeBytesPerSecond,
                        boolean golden, String overlayOf, List<String> snapshots, boolean shared) {
    /** The badge a golden image has in the table. */
    public static final String GOLDEN_BADGE = "Golden image";

    public VolumeRow {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    static VolumeRow of(Volume v, VolumeActivity a) {
        return new VolumeRow(v.name(), v.format(), v.sizeBytes(), v.allocatedBytes(), v.createdAt(),
                a == null ? null : a.clientName(), a == null ? 0 : a.readBytesPerSecond(),
                a == null ? 0 : a.writeBytesPerSecond(), v.golden(), v.overlayOf(), v.snapshots(), v.shared());
    }

    public boolean attached() {
        return clientName != null;
    }

    public boolean overlay() {
        return overlayOf != null;
    }

    /**
     * Whether "Make golden" applies: not to a golden image (it is one), nor to an overlay (it would
     * chain a golden image onto another; "Promote" makes a standalone golden image of it instead).
     * A volume in use may be asked: the server refuses in its own words.
     */
    public boolean canBecomeGolden() {
        return !golden && !overlay();
    }

    /** Whether "New overlay" applies: golden images only. */
    public boolean canClone() {
        return golden;
    }

    /** Whether "Reset" and "Promote" apply: overlays only. */
    public boolean canResetOrPromote() {
        return overlay();
    }

    /**
     * Whether "Snapshots…" applies: qcow2 volumes that can change. A golden image never changes (its
     * overlays are what to snapshot); a raw file has no place to keep snapshots.
     */
    public boolean canSnapshot() {
        return Volume.QCOW2.equals(format) && !golden;
    }

    /** The table's snapshots column: blank for none, the name for one, "3: a, b, c" for more (oldest first). */
    public String snapshotsText() {
        return snapshotsText(snapshots);
    }

    static String snapshotsText(List<String> names) {
        if (names.isEmpty()) return "";
        return names.size() == 1 ? names.get(0) : names.size() + ": " + String.join(", ", names);
    }

    /** The table's sharing column: {@link SharedVolumeText#BADGE} for a shared volume, blank for one user at a time. */
    public String sharedText() {
        return shared ? SharedVolumeText.BADGE : "";
    }

    /** The table's kind column: "Golden image", "overlay of win11", or blank for a volume that stands alone. */
    public String kind() {
        if (golden) return GOLDEN_BADGE;
        return overlay() ? "overlay of " + overlayOf : "";
    }
}
