package org.netroot.app.ui.volumes;

/**
 * What the Volumes view says about shared volumes, in one place: the table's badge and its tooltip,
 * and the warning the Create and Sharing dialogs show next to the choice.
 */
final class SharedVolumeText {
    /** The badge a shared volume has in the table. */
    static final String BADGE = "Shared";
    static final String TOOLTIP = "Shared: several clients may write this volume at once (a cluster disk; SCSI"
            + " reservations arbitrate between them). Only for cluster file systems, which coordinate their writes.";
    static final String CHOICE = "Shared by several clients (a cluster disk)";
    static final String WARNING = "Only for a cluster file system (Windows failover clustering, GFS2, OCFS2):"
            + " a normal file system (NTFS, ext4, ...) on a shared volume gets corrupted when two PCs mount it.";

    private SharedVolumeText() {
    }
}
