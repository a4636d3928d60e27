package org.netroot.server.storage.qcow2;

import java.io.IOException;

/**
 * The two ways an L2 table maps clusters (qcow2.txt, "Cluster mapping" and "Extended L2
 * Entries"): standard 8-byte entries, a cluster allocated or not as a whole; or extended 16-byte
 * entries (incompatible feature bit 4), the entry followed by a bitmap that allocates or zeroes each
 * of 32 subclusters on its own. Both decode to and encode from a {@link ClusterMapping}; nothing
 * else in the device knows which layout it uses beyond {@link #subclusters} and {@link #words}.
 */
enum L2Layout {
    STANDARD(1, 1),
    EXTENDED(32, 2);

    /** Subclusters per cluster. */
    final int subclusters;
    /** 64-bit words per L2 entry. */
    final int words;

    L2Layout(int subclusters, int words) {
        this.subclusters = subclusters;
        this.words = words;
    }

    static L2Layout of(Qcow2Header h) {
        return h.extendedL2() ? EXTENDED : STANDARD;
    }

    /** The bits of every subcluster. */
    int all() {
        return ClusterMapping.bits(0, subclusters - 1);
    }

    /**
     * The mapping an entry's words hold ({@code bitmap} ignored for a standard entry). Refuses, as
     * QEMU does, an extended bitmap that contradicts itself: a subcluster both allocated and zero,
     * allocated subclusters without a host cluster, or a compressed cluster with subclusters.
     */
    ClusterMapping decode(long word, long bitmap) throws IOException {
        if (this == STANDARD) {
            if (word == 0) return ClusterMapping.UNALLOCATED;
            if ((word & L2Entry.COMPRESSED) != 0) return new ClusterMapping(word, 0);
            if ((word & L2Entry.ZERO) != 0) return new ClusterMapping(word & ~L2Entry.ZERO, ClusterMapping.bitmap(0, 1));
            return new ClusterMapping(word, L2Entry.hostOffset(word) != 0 ? 1 : 0);
        }
        if ((word & L2Entry.COMPRESSED) != 0) { // bit 0 is part of its host byte offset
            if (bitmap != 0) throw new IOException("qcow2 compressed cluster with a subcluster bitmap (the image is corrupt)");
            return new ClusterMapping(word, 0);
        }
        long w = word & ~L2Entry.ZERO; // bit 0 is reserved under extended L2 (zeros live in the bitmap); ignored, as QEMU does
        if (w == 0 && bitmap == 0) return ClusterMapping.UNALLOCATED;
        ClusterMapping m = new ClusterMapping(w, bitmap);
        if ((m.allocated() & m.zeros()) != 0) {
            throw new IOException("qcow2 subcluster both allocated and zero (the image is corrupt)");
        } else if (m.allocated() != 0 && m.hostOffset() == 0) {
            throw new IOException("qcow2 allocated subclusters without a host cluster (the image is corrupt)");
        }
        return m;
    }

    /** The entry's first word for {@code m}. */
    long word(ClusterMapping m) {
        if (m.compressed()) return m.word();
        if (this == EXTENDED) return m.word() & ~L2Entry.ZERO;
        long w = m.word() & ~L2Entry.ZERO;
        if (L2Entry.hostOffset(w) == 0) w = 0; // no host cluster: nothing "copied" either
        if ((m.zeros() & 1) != 0) return w | L2Entry.ZERO;
        if ((m.allocated() & 1) != 0) {
            if (w == 0) throw new IllegalStateException("an allocated cluster needs a host cluster");
            return w;
        }
        if (w != 0) throw new IllegalStateException("a standard L2 entry cannot hold a host cluster with nothing allocated in it");
        return 0;
    }

    /** The entry's second word (extended only): the subcluster bitmap. */
    long bitmap(ClusterMapping m) {
        if (m.compressed()) return 0;
        if ((m.allocated() & m.zeros()) != 0 || (m.allocated() & ~all()) != 0 || (m.zeros() & ~all()) != 0) {
            throw new IllegalStateException("inconsistent subcluster bitmap " + Long.toHexString(m.bitmap()));
        }
        if (m.allocated() != 0 && m.hostOffset() == 0) throw new IllegalStateException("allocated subclusters need a host cluster");
        return m.bitmap();
    }
}
