package org.netroot.server.storage.qcow2;

/**
 * Refcount block entries on bytes (qcow2.txt, "Host cluster management"): 2^refcount_order bits
 * each; below 8 bits several share a byte, the first in the least significant bits (as QEMU packs
 * them); 8 bits and more are big-endian.
 */
final class RefcountCodec {
    private RefcountCodec() {
    }

    static int entriesPerBlock(int clusterSize, int refcountOrder) {
        return (int) ((long) clusterSize * 8 >> refcountOrder);
    }

    static long maxRefcount(int refcountOrder) {
        return refcountOrder == 6 ? Long.MAX_VALUE : (1L << (1 << refcountOrder)) - 1;
    }

    static long get(byte[] block, int index, int order) {
        switch (order) {
            case 0, 1, 2 -> {
                int bits = 1 << order;
                int bit = index * bits;
                return (block[bit >>> 3] >>> (bit & 7)) & ((1 << bits) - 1);
            }
            default -> {
                int bytes = 1 << (order - 3);
                long v = 0;
                for (int i = 0, at = index * bytes; i < bytes; i++) v = v << 8 | (block[at + i] & 0xff);
                return v;
            }
        }
    }

    static void set(byte[] block, int index, int order, long value) {
        if (value < 0 || value > maxRefcount(order)) {
            throw new IllegalArgumentException("refcount " + value + " does not fit " + (1 << order) + " bits");
        }
        switch (order) {
            case 0, 1, 2 -> {
                int bits = 1 << order;
                int bit = index * bits;
                int mask = ((1 << bits) - 1) << (bit & 7);
                block[bit >>> 3] = (byte) ((block[bit >>> 3] & ~mask) | ((int) value << (bit & 7)));
            }
            default -> {
                int bytes = 1 << (order - 3);
                for (int i = bytes - 1, at = index * bytes; i >= 0; i--, value >>>= 8) block[at + i] = (byte) value;
            }
        }
    }

    /** Where in the block the entry's bytes lie: [first, first + length), to write just those. */
    static int byteOffset(int index, int order) {
        return order < 3 ? (index << order) >>> 3 : index << (order - 3);
    }

    static int byteLength(int order) {
        return order < 3 ? 1 : 1 << (order - 3);
    }
}
