package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Host cluster refcounts (the refcount table and its blocks) and the choice of free clusters.
 * Not thread-safe: the device's allocation lock guards every call.
 *
 * <p>Every change is written through at once, in an order that survives the process being killed
 * at any point: a new refcount block is written before the table entry that points to it, a new
 * refcount table before the header that points to it, and the old table is freed only after. A
 * kill between two steps leaves a cluster counted that nothing uses (a leak, repaired on the next
 * open), never a used cluster counted zero.
 *
 * <p>A cluster whose refcount drops to 0 gets its space back (a punched hole) and waits in
 * quarantine: I/O that looked its address up before the free may still be under way (reads and
 * in-place writes run without the allocation lock), so it is handed out again only after
 * {@link #releaseQuarantine}, which the device calls when no I/O is in flight.
 */
final class ClusterAllocator {
    interface RefcountTableMove {
        /** Points the header at a new refcount table (written and forced before this is called). */
        void moved(long offset, int clusters) throws IOException;
    }

    /** Gives a freed range's space back to the host (a punched hole); see {@code FileHoles}. */
    interface HolePunch {
        void punch(long offset, long length) throws IOException;
    }

    private final HostFile file;
    private final HolePunch holes; // null when nothing may be punched (read-only)
    private final int clusterBits;
    private final int clusterSize;
    private final int order;
    private final int perBlock;
    private final RefcountTableMove tableMove;
    private final Map<Long, byte[]> blocks;
    private long[] table;
    private long tableOffset;
    private int tableClusters;
    /** Clusters below this one were in use when last looked at; the search for a free one starts here. */
    private long hint;
    /** Clusters from here on are free: past everything allocated and past the file's end. */
    private long hostEnd;
    private final Set<Long> quarantine = new HashSet<>();
    private final List<Long> toPunch = new ArrayList<>();
    private boolean batching;
    private volatile int quarantined;

    ClusterAllocator(HostFile file, HolePunch holes, Qcow2Header h, int blockCacheSize, RefcountTableMove tableMove) throws IOException {
        this.file = file;
        this.holes = holes;
        this.clusterBits = h.clusterBits();
        this.clusterSize = h.clusterSize();
        this.order = h.refcountOrder();
        this.perBlock = RefcountCodec.entriesPerBlock(clusterSize, order);
        this.tableMove = tableMove;
        this.tableOffset = h.refcountTableOffset();
        this.tableClusters = h.refcountTableClusters();
        this.table = file.readLongs(tableOffset, tableClusters * (clusterSize / 8));
        for (int i = 0; i < table.length; i++) {
            long off = table[i];
            if (off == 0) continue;
            if ((off & (clusterSize - 1)) != 0 || off >= file.size()) {
                throw new IOException("qcow2 refcount table entry " + i + " (" + off + ") is not a cluster inside the file");
            }
        }
        this.blocks = new LinkedHashMap<>(blockCacheSize * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > blockCacheSize;
            }
        };
        this.hostEnd = Qcow2Header.ceilDiv(file.size(), clusterSize);
        this.hint = 0;
    }

    int clusterSize() {
        return clusterSize;
    }

    long tableOffset() {
        return tableOffset;
    }

    int tableClusters() {
        return tableClusters;
    }

    long[] table() {
        return table;
    }

    /** Clusters that may hold something: the first one past them is free. */
    long hostEnd() {
        return hostEnd;
    }

    private byte[] block(long blockOffset) throws IOException {
        byte[] b = blocks.get(blockOffset);
        if (b == null) {
            b = file.readBytes(blockOffset, clusterSize);
            blocks.put(blockOffset, b);
        }
        return b;
    }

    long refcount(long cluster) throws IOException {
        long bi = cluster / perBlock;
        if (bi >= table.length || table[(int) bi] == 0) return 0;
        return RefcountCodec.get(block(table[(int) bi]), (int) (cluster % perBlock), order);
    }

    void set(long cluster, long value) throws IOException {
        long bi = cluster / perBlock;
        if (bi >= table.length) growTable(bi);
        if (table[(int) bi] == 0) {
            if (value == 0) return;
            newBlock((int) bi);
        }
        long blockOffset = table[(int) bi];
        byte[] b = block(blockOffset);
        int index = (int) (cluster % perBlock);
        long before = RefcountCodec.get(b, index, order);
        RefcountCodec.set(b, index, order, value);
        int at = RefcountCodec.byteOffset(index, order);
        try {
            file.write(blockOffset + at, ByteBuffer.wrap(b, at, RefcountCodec.byteLength(order)));
        } catch (IOException e) {
            RefcountCodec.set(b, index, order, before); // the cached block says what the disk says
            throw e;
        }
    }

    void increment(long cluster) throws IOException {
        long v = refcount(cluster);
        if (v >= RefcountCodec.maxRefcount(order)) {
            throw new IOException("refcount of host cluster " + cluster + " would overflow " + (1 << order) + " bits");
        }
        set(cluster, v + 1);
    }

    /** Drops one reference; at 0 the cluster's space goes back to the disk and it waits in quarantine. */
    void decrement(long cluster) throws IOException {
        long v = refcount(cluster);
        if (v == 0) throw new IOException("refcount of host cluster " + cluster + " is already 0: the image is corrupt");
        set(cluster, v - 1);
        if (v == 1) freed(cluster);
    }

    private void freed(long cluster) throws IOException {
        // quarantined first: a punch that fails must not leave the cluster free for immediate reuse
        quarantine.add(cluster);
        quarantined = quarantine.size();
        if (batching) {
            toPunch.add(cluster);
        } else if (holes != null) {
            holes.punch(cluster << clusterBits, clusterSize);
        }
    }

    /** Until {@link #punchBatch}, freed clusters are collected and their holes punched as whole runs. */
    void startBatch() {
        batching = true;
    }

    /** One fallocate per run of adjacent freed clusters (a discard of 256 MiB is one call, not 4096). */
    void punchBatch() throws IOException {
        batching = false;
        if (toPunch.isEmpty()) return;
        // taken and cleared first: a punch that throws must not leave clusters to be punched by a
        // later batch, when they may hold live data again
        List<Long> freed = new ArrayList<>(toPunch);
        toPunch.clear();
        freed.sort(null);
        long runStart = freed.get(0);
        long runEnd = runStart + 1;
        for (int i = 1; i <= freed.size(); i++) {
            long c = i < freed.size() ? freed.get(i) : -1;
            if (c == runEnd) {
                runEnd++;
                continue;
            }
            if (holes != null) holes.punch(runStart << clusterBits, (runEnd - runStart) << clusterBits);
            runStart = c;
            runEnd = c + 1;
        }
    }

    int quarantined() {
        return quarantined;
    }

    /** Called when no I/O that started before the frees is still running: their clusters may be reused. */
    void releaseQuarantine() {
        for (long c : quarantine) hint = Math.min(hint, c);
        quarantine.clear();
        quarantined = 0;
    }

    /**
     * A free cluster (refcount 0, not in quarantine) for the caller to write, then count with
     * {@link #increment}. Never the same one twice until it has been freed again.
     */
    long allocate() throws IOException {
        for (long c = hint; c < hostEnd; c++) {
            if (refcount(c) == 0 && !quarantine.contains(c)) {
                hint = c + 1;
                return c;
            }
        }
        hint = hostEnd + 1;
        return hostEnd++;
    }

    /** {@code n} contiguous free clusters at the end of the file (for an L1 table). */
    long allocateContiguous(int n) {
        long c = hostEnd;
        hostEnd += n;
        return c;
    }

    /** A refcount block for block index {@code bi}, written before the table entry that points to it. */
    private void newBlock(int bi) throws IOException {
        long r = allocate();
        byte[] b = new byte[clusterSize];
        if (r / perBlock == bi) {
            RefcountCodec.set(b, (int) (r % perBlock), order, 1); // the block counts itself
        } else {
            increment(r);
            if (table.length <= bi) throw new IllegalStateException("refcount table shrank");
        }
        file.write(r << clusterBits, b);
        blocks.put(r << clusterBits, b);
        table[bi] = r << clusterBits;
        file.writeLong(tableOffset + 8L * bi, table[bi]);
    }

    /**
     * A larger refcount table at the end of the file, with the new refcount blocks that count its
     * own clusters. Written and forced before the header points to it; the old table is freed after.
     */
    private void growTable(long neededBlockIndex) throws IOException {
        long start = hostEnd;
        long nBlocks = 0;
        long tClusters = 0;
        long entries = table.length;
        List<Long> newBlockIndices = new ArrayList<>();
        for (int iter = 0; iter < 64; iter++) {
            long regionEnd = start + nBlocks + tClusters;
            long need = Math.max(neededBlockIndex + 1, Qcow2Header.ceilDiv(regionEnd + 1, perBlock));
            long e = Math.max(need, 2L * table.length);
            long t = Qcow2Header.ceilDiv(e * 8, clusterSize);
            e = t * (clusterSize / 8);
            newBlockIndices.clear();
            long end = start + nBlocks + t; // blocks first, then the table
            for (long bi = start / perBlock; bi <= (end - 1) / perBlock; bi++) {
                if (bi >= table.length || table[(int) bi] == 0) newBlockIndices.add(bi);
            }
            if (t == tClusters && newBlockIndices.size() == nBlocks && e == entries) break;
            tClusters = t;
            nBlocks = newBlockIndices.size();
            entries = e;
        }
        if (entries > Integer.MAX_VALUE / 2) throw new IOException("qcow2 refcount table would grow past its limit");
        long regionEnd = start + nBlocks + tClusters;
        // taken before anything is written: a write that fails (a full disk) leaves them unused, never handed out twice
        hostEnd = Math.max(hostEnd, regionEnd);
        long[] grown = java.util.Arrays.copyOf(table, (int) entries);
        Map<Long, byte[]> fresh = new LinkedHashMap<>();
        for (int i = 0; i < nBlocks; i++) {
            long bi = newBlockIndices.get(i);
            grown[(int) bi] = (start + i) << clusterBits;
            fresh.put(bi, new byte[clusterSize]);
        }
        for (long c = start; c < regionEnd; c++) {
            byte[] b = fresh.get(c / perBlock);
            if (b != null) {
                RefcountCodec.set(b, (int) (c % perBlock), order, 1);
            } else {
                set(c, 1); // counted in a block that exists already (c is below the old table's reach)
            }
        }
        for (int i = 0; i < nBlocks; i++) {
            long bi = newBlockIndices.get(i);
            byte[] b = fresh.get(bi);
            file.write((start + i) << clusterBits, b);
            blocks.put((start + i) << clusterBits, b);
        }
        long newOffset = (start + nBlocks) << clusterBits;
        file.write(newOffset, HostFile.encodeLongs(grown, (int) (tClusters * clusterSize)));
        file.force();
        tableMove.moved(newOffset, (int) tClusters);
        file.force();
        long oldOffset = tableOffset;
        int oldClusters = tableClusters;
        table = grown;
        tableOffset = newOffset;
        tableClusters = (int) tClusters;
        hostEnd = Math.max(hostEnd, regionEnd);
        for (int i = 0; i < oldClusters; i++) decrement((oldOffset >>> clusterBits) + i);
    }

    /**
     * Makes every stored refcount equal {@code counted} (the references found by walking the
     * image's tables; clusters past its end count 0). Returns how many clusters were leaked
     * (counted too high) and how many were counted too low.
     */
    long[] repair(int[] counted) throws IOException {
        long leaked = 0;
        long tooLow = 0;
        long end = Math.max(counted.length, (long) table.length * perBlock);
        for (long c = 0; c < end; c++) {
            long bi = c / perBlock;
            if (c >= counted.length && (bi >= table.length || table[(int) bi] == 0)) {
                c = (bi + 1) * perBlock - 1; // a whole block's range with no block: nothing stored
                continue;
            }
            long want = c < counted.length ? counted[(int) c] : 0;
            long have = refcount(c);
            if (have == want) continue;
            if (have > want) leaked++;
            else tooLow++;
            set(c, want);
            if (want == 0 && holes != null) holes.punch(c << clusterBits, clusterSize);
        }
        hint = 0;
        return new long[] {leaked, tooLow};
    }
}
