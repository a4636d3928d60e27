package org.netroot.server.storage.qcow2;

/**
 * What an L2 entry says about one virtual cluster, the same for both L2 layouts (see
 * {@link L2Layout}): the descriptor word (host cluster, "copied", "compressed": see {@link L2Entry})
 * and the subcluster bitmap of qcow2.txt's "Extended L2 Entries", allocated bits in 0..31 and
 * "reads as zeros" bits in 32..63, bit x for subcluster x. A standard entry reads as a cluster of
 * one subcluster, allocated (it has a host cluster), zero (its bit 0 flag) or unallocated. A
 * compressed cluster has no subclusters: its bitmap is 0 and it is read whole.
 */
record ClusterMapping(long word, long bitmap) {
    static final ClusterMapping UNALLOCATED = new ClusterMapping(0, 0);

    boolean compressed() {
        return (word & L2Entry.COMPRESSED) != 0;
    }

    /** The host cluster (0 when none; always 0 for a compressed cluster). */
    long hostOffset() {
        return compressed() ? 0 : L2Entry.hostOffset(word);
    }

    boolean copied() {
        return L2Entry.copied(word);
    }

    /** A host cluster this image alone holds (refcount 1): written in place, also where its subclusters are not allocated yet. */
    boolean owned() {
        return copied() && hostOffset() != 0;
    }

    /** Subclusters read from the host cluster, one bit each. */
    int allocated() {
        return (int) bitmap;
    }

    /** Subclusters that read as zeros, one bit each. */
    int zeros() {
        return (int) (bitmap >>> 32);
    }

    /** How subcluster {@code s} reads: NORMAL (from the host cluster), ZERO, UNALLOCATED (from the backing image) or COMPRESSED. */
    L2Entry.Kind kind(int s) {
        if (compressed()) return L2Entry.Kind.COMPRESSED;
        if ((zeros() >>> s & 1) != 0) return L2Entry.Kind.ZERO;
        if ((allocated() >>> s & 1) != 0) return L2Entry.Kind.NORMAL;
        return L2Entry.Kind.UNALLOCATED;
    }

    /** The same cluster with other subcluster states. */
    ClusterMapping withSubclusters(int allocated, int zeros) {
        return new ClusterMapping(word, bitmap(allocated, zeros));
    }

    /** Without "copied": reached through a shared L2 table, so never written in place. */
    ClusterMapping notCopied() {
        return copied() ? new ClusterMapping(word & ~L2Entry.COPIED, bitmap) : this;
    }

    static long bitmap(int allocated, int zeros) {
        return Integer.toUnsignedLong(allocated) | (long) zeros << 32;
    }

    /** Bits {@code first} to {@code last}, both included (0..31). */
    static int bits(int first, int last) {
        return (int) ((1L << (last + 1)) - (1L << first));
    }
}
