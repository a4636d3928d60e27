package org.netroot.server.storage.qcow2;

/**
 * How a new qcow2 image maps its clusters: their size, and whether its L2 entries are extended
 * (qcow2.txt, "Extended L2 Entries"; each cluster in 32 subclusters allocated on their own).
 *
 * @param clusterSize a power of two from 512 bytes to 2 MiB; at least 16 KiB with extended L2 entries
 */
public record ClusterLayout(int clusterSize, boolean extendedL2) {
    /**
     * What Netroot creates: extended L2 entries with 128 KiB clusters of 32 subclusters of 4 KiB,
     * as QEMU advises for overlays (qemu-img create -o extended_l2=on,cluster_size=128k). A 4 KiB write into a fresh overlay then writes 4 KiB, not a 64 KiB cluster copied
     * from the backing image; the L2 tables take the same bytes per TiB as 64 KiB standard clusters.
     */
    public static final ClusterLayout EXTENDED = new ClusterLayout(128 << 10, true);

    /** qemu-img's default, and what Netroot created before subclusters: 64 KiB clusters, standard L2 entries. */
    public static final ClusterLayout STANDARD = new ClusterLayout(64 << 10, false);

    public ClusterLayout {
        if (Integer.bitCount(clusterSize) != 1 || clusterSize < 512 || clusterSize > (2 << 20)) {
            throw new IllegalArgumentException("qcow2 cluster size is a power of two from 512 bytes to 2 MiB, got " + clusterSize);
        }
        if (extendedL2 && clusterSize < 1 << Qcow2Header.MIN_EXTENDED_CLUSTER_BITS) {
            throw new IllegalArgumentException("qcow2 extended L2 entries need clusters of at least 16 KiB, got " + clusterSize);
        }
    }

    /** Standard L2 entries with clusters of {@code clusterSize} bytes. */
    public static ClusterLayout standard(int clusterSize) {
        return new ClusterLayout(clusterSize, false);
    }

    /** The unit of allocation: the cluster, or 1/32 of it with extended L2 entries. */
    public int subclusterSize() {
        return extendedL2 ? clusterSize / 32 : clusterSize;
    }

    /** Entries per L2 table: 8 bytes each, 16 when extended. */
    int l2Entries() {
        return clusterSize / (extendedL2 ? 16 : 8);
    }
}
