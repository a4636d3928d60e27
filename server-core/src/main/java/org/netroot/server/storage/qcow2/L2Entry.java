package org.netroot.server.storage.qcow2;

/**
 * L1 and L2 table entries (qcow2.txt, "Cluster mapping"): 64-bit big-endian words, decoded and
 * built here without I/O. A standard L2 entry holds a host cluster offset in bits 9..55, the v3
 * "reads as zeros" flag in bit 0, "compressed" in bit 62 and "copied" (refcount exactly 1, so it
 * may be written in place) in bit 63. A compressed entry holds the host byte offset of the deflate
 * stream in bits 0..x-1 and the number of further 512-byte sectors it spans above that, where
 * x = 62 - (cluster_bits - 8). With extended L2 entries this is the first of an entry's two words,
 * bit 0 reserved (zeros are in the subcluster bitmap that follows): see {@link L2Layout}.
 */
final class L2Entry {
    static final long COPIED = 1L << 63;
    static final long COMPRESSED = 1L << 62;
    static final long ZERO = 1;
    static final long OFFSET_MASK = 0x00ff_ffff_ffff_fe00L;
    static final long UNALLOCATED = 0;

    enum Kind { UNALLOCATED, ZERO, NORMAL, COMPRESSED }

    private L2Entry() {
    }

    static Kind kind(long entry) {
        if ((entry & COMPRESSED) != 0) return Kind.COMPRESSED;
        if ((entry & ZERO) != 0) return Kind.ZERO;
        if ((entry & OFFSET_MASK) != 0) return Kind.NORMAL;
        return Kind.UNALLOCATED;
    }

    /** The host cluster of a standard entry (or of a preallocated zero cluster); 0 when none. */
    static long hostOffset(long entry) {
        return entry & OFFSET_MASK;
    }

    static boolean copied(long entry) {
        return (entry & COPIED) != 0;
    }

    /** A standard entry for the host cluster at {@code hostOffset}, written in place when copied. */
    static long normal(long hostOffset, boolean copied) {
        if ((hostOffset & ~OFFSET_MASK) != 0) throw new IllegalArgumentException("not a cluster offset: " + hostOffset);
        return hostOffset | (copied ? COPIED : 0);
    }

    private static int offsetBits(int clusterBits) {
        return 62 - (clusterBits - 8);
    }

    static long compressedOffset(long entry, int clusterBits) {
        return entry & ((1L << offsetBits(clusterBits)) - 1);
    }

    /** Bytes from {@link #compressedOffset} to the end of the last sector the compressed data may use. */
    static int compressedLength(long entry, int clusterBits) {
        int x = offsetBits(clusterBits);
        long sectors = ((entry & ~(COPIED | COMPRESSED)) >>> x) + 1;
        long offset = compressedOffset(entry, clusterBits);
        return (int) (sectors * 512 - (offset & 511));
    }

    static long compressed(long hostByteOffset, int additionalSectors, int clusterBits) {
        int x = offsetBits(clusterBits);
        if (hostByteOffset >= 1L << x) throw new IllegalArgumentException("compressed offset out of range: " + hostByteOffset);
        return COMPRESSED | ((long) additionalSectors << x) | hostByteOffset;
    }
}
