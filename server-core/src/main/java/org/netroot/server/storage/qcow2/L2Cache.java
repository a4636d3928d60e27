package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded LRU of L2 tables, keyed by their host offset. Hits take only the map's monitor for a
 * moment. A miss loads the table while holding the lock of the table's stripe, and every change of
 * an entry ({@link #update}) holds that same lock from fetching the cached table to writing the
 * entry to disk: so a table evicted and loaded again meanwhile is never a stale copy that a change
 * missed.
 */
final class L2Cache {
    interface Loader {
        long[] load(long offset) throws IOException;
    }

    interface EntryWriter {
        void write(long tableOffset, int index, long entry) throws IOException;
    }

    private static final int STRIPES = 64;
    private final Object[] stripes = new Object[STRIPES];
    private final Map<Long, AtomicLongArray> tables;
    private final Loader loader;

    L2Cache(int capacity, Loader loader) {
        this.loader = loader;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
        this.tables = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, AtomicLongArray> eldest) {
                return size() > capacity;
            }
        };
    }

    private Object stripe(long offset) {
        return stripes[(int) ((offset >>> 9) * 0x9E3779B97F4A7C15L >>> 58)];
    }

    private synchronized AtomicLongArray cached(long offset) {
        return tables.get(offset);
    }

    private synchronized void put(long offset, AtomicLongArray table) {
        tables.put(offset, table);
    }

    AtomicLongArray table(long offset) throws IOException {
        AtomicLongArray t = cached(offset);
        if (t != null) return t;
        synchronized (stripe(offset)) {
            t = cached(offset);
            if (t == null) {
                t = new AtomicLongArray(loader.load(offset));
                put(offset, t);
            }
            return t;
        }
    }

    long entry(long tableOffset, int index) throws IOException {
        return table(tableOffset).get(index);
    }

    /**
     * Writes one entry to disk, then sets it in the cached table (see the class comment): a write
     * that fails leaves the cache saying what the disk said, so nobody looks up a cluster the caller
     * then gives back.
     */
    void update(long tableOffset, int index, long entry, EntryWriter writer) throws IOException {
        synchronized (stripe(tableOffset)) {
            AtomicLongArray table = table(tableOffset);
            writer.write(tableOffset, index, entry);
            table.set(index, entry);
        }
    }

    /** A table just written to disk at {@code offset} (a new or copied one). */
    void install(long offset, long[] entries) {
        synchronized (stripe(offset)) {
            put(offset, new AtomicLongArray(entries));
        }
    }

    /** The table at {@code offset} was freed: that cluster may hold something else later. */
    void forget(long offset) {
        synchronized (stripe(offset)) {
            synchronized (this) {
                tables.remove(offset);
            }
        }
    }

    /** Every table is forgotten: the image switched to other tables (a snapshot taken, applied or removed). */
    void clear() {
        for (Object stripe : stripes) {
            synchronized (stripe) {
                synchronized (this) {
                    tables.clear();
                }
            }
        }
    }
}
