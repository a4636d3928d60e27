package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded LRU of L2 tables, keyed by their host offset, decoded through the image's
 * {@link L2Layout}. Hits take only the map's monitor for a moment. A miss loads the table while
 * holding the lock of the table's stripe, and every change of an entry ({@link #update}) holds that
 * same lock from fetching the cached table to writing the entry to disk: so a table evicted and
 * loaded again meanwhile is never a stale copy that a change missed.
 *
 * <p>An extended entry is two words, which no single atomic write changes together; readers take
 * no lock, so each table counts its changes (odd while one is under way) and a reader that saw a
 * change start or end between its reads of the two words reads them again (a sequence lock).
 */
final class L2Cache {
    interface Loader {
        long[] load(long offset) throws IOException;
    }

    interface EntryWriter {
        /** Writes entry {@code index} of the table at {@code tableOffset}: its word and, with extended L2, its bitmap. */
        void write(long tableOffset, int index, long word, long bitmap) throws IOException;
    }

    /** One table's words (one per entry, two with extended L2). */
    private static final class Table {
        final AtomicLongArray words;
        /** Odd while an entry changes; only written under the table's stripe lock. */
        volatile int changes;

        Table(long[] words) {
            this.words = new AtomicLongArray(words);
        }
    }

    private static final int STRIPES = 64;
    private final Object[] stripes = new Object[STRIPES];
    private final Map<Long, Table> tables;
    private final Loader loader;
    private final L2Layout layout;

    L2Cache(int capacity, L2Layout layout, Loader loader) {
        this.loader = loader;
        this.layout = layout;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
        this.tables = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Table> eldest) {
                return size() > capacity;
            }
        };
    }

    private Object stripe(long offset) {
        return stripes[(int) ((offset >>> 9) * 0x9E3779B97F4A7C15L >>> 58)];
    }

    private synchronized Table cached(long offset) {
        return tables.get(offset);
    }

    private synchronized void put(long offset, Table table) {
        tables.put(offset, table);
    }

    private Table table(long offset) throws IOException {
        Table t = cached(offset);
        if (t != null) return t;
        synchronized (stripe(offset)) {
            t = cached(offset);
            if (t == null) {
                t = new Table(loader.load(offset));
                put(offset, t);
            }
            return t;
        }
    }

    /** Entry {@code index} of the table at {@code tableOffset}; an IOException when its bitmap is corrupt. */
    ClusterMapping entry(long tableOffset, int index) throws IOException {
        Table t = table(tableOffset);
        if (layout.words == 1) return layout.decode(t.words.get(index), 0);
        int at = index * 2;
        while (true) {
            int before = t.changes;
            if ((before & 1) == 0) {
                long word = t.words.get(at);
                long bitmap = t.words.get(at + 1);
                if (t.changes == before) return layout.decode(word, bitmap);
            }
            Thread.onSpinWait();
        }
    }

    /** A copy of every word of the table at {@code offset} (for copying or walking it under the allocation lock). */
    long[] words(long offset) throws IOException {
        synchronized (stripe(offset)) {
            AtomicLongArray w = table(offset).words;
            long[] out = new long[w.length()];
            for (int i = 0; i < out.length; i++) out[i] = w.get(i);
            return out;
        }
    }

    /**
     * Writes one entry to disk, then sets it in the cached table (see the class comment): a write
     * that fails leaves the cache saying what the disk said, so nobody looks up a cluster the caller
     * then gives back.
     */
    void update(long tableOffset, int index, ClusterMapping m, EntryWriter writer) throws IOException {
        long word = layout.word(m);
        long bitmap = layout.words == 2 ? layout.bitmap(m) : 0;
        synchronized (stripe(tableOffset)) {
            Table table = table(tableOffset);
            writer.write(tableOffset, index, word, bitmap);
            if (layout.words == 1) {
                table.words.set(index, word);
            } else {
                int c = table.changes;
                table.changes = c + 1;
                table.words.set(index * 2, word);
                table.words.set(index * 2 + 1, bitmap);
                table.changes = c + 2;
            }
        }
    }

    /** A table just written to disk at {@code offset} (a new or copied one). */
    void install(long offset, long[] words) {
        synchronized (stripe(offset)) {
            put(offset, new Table(words));
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
