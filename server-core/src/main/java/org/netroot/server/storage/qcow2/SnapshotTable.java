package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The internal snapshot table (qcow2.txt, "Snapshots"; QEMU's block/qcow2-snapshot.c): one entry
 * per snapshot, each 8-byte aligned, decoded from and encoded to bytes. Entries are written as QEMU
 * 5.0+ writes them (24 bytes of extra data: VM state size, disk size, icount), keeping any further
 * extra data a newer writer left.
 */
final class SnapshotTable {
    /**
     * One snapshot as the table holds it.
     *
     * @param icount the guest's instruction count, -1 when not recorded (always, for Netroot's)
     * @param unknownExtra extra data past the fields known here, written back unchanged
     */
    record Entry(long l1Offset, int l1Size, String id, String name, long dateSeconds, int dateNanos,
            long vmClockNanos, long vmStateSize, long diskSize, long icount, byte[] unknownExtra) {
        SnapshotInfo info() {
            return new SnapshotInfo(id, name, diskSize, java.time.Instant.ofEpochSecond(dateSeconds, dateNanos), vmClockNanos, vmStateSize);
        }

        /** Bytes this entry takes in the table, padding to 8 included. */
        int encodedLength() {
            int length = FIXED + KNOWN_EXTRA + unknownExtra.length + utf8(id).length + utf8(name).length;
            return (length + 7) & ~7;
        }
    }

    static final int FIXED = 40;
    /** vm_state_size_large, disk_size, icount: what QEMU 5.0 and later write. */
    static final int KNOWN_EXTRA = 24;
    /** QEMU refuses more (QCOW_MAX_SNAPSHOT_EXTRA_DATA). */
    static final int MAX_EXTRA = 1024;
    /** QEMU refuses more (QCOW_MAX_SNAPSHOTS, QCOW_MAX_SNAPSHOTS_SIZE). */
    static final int MAX_SNAPSHOTS = 65536;
    static final long MAX_TABLE_BYTES = 64L << 20;

    private SnapshotTable() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The table as it is in the file: its entries and the bytes it takes there. */
    record Contents(List<Entry> entries, long length) {
    }

    static Contents read(HostFile file, Qcow2Header h) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (h.nbSnapshots() == 0) return new Contents(entries, 0);
        long pos = h.snapshotsOffset();
        long fileSize = file.size();
        for (int i = 0; i < h.nbSnapshots(); i++) {
            if (pos + FIXED > fileSize || pos - h.snapshotsOffset() > MAX_TABLE_BYTES) {
                throw new IOException("qcow2 snapshot table runs past the end of the file");
            }
            ByteBuffer b = ByteBuffer.wrap(file.readBytes(pos, FIXED));
            long l1 = b.getLong(0);
            int l1Size = b.getInt(8);
            int idLength = Short.toUnsignedInt(b.getShort(12));
            int nameLength = Short.toUnsignedInt(b.getShort(14));
            long dateSeconds = Integer.toUnsignedLong(b.getInt(16));
            int dateNanos = b.getInt(20);
            long vmClock = b.getLong(24);
            long vmState = Integer.toUnsignedLong(b.getInt(32));
            int extra = b.getInt(36);
            if (l1Size < 0 || (l1 & (h.clusterSize() - 1)) != 0 || l1 + 8L * l1Size > fileSize) {
                throw new IOException("qcow2 snapshot " + i + " has its L1 table outside the file");
            }
            if (extra < 0 || extra > MAX_EXTRA) throw new IOException("qcow2 snapshot " + i + " has " + extra + " bytes of extra data (at most 1024)");
            ByteBuffer rest = ByteBuffer.wrap(file.readBytes(pos + FIXED, extra + idLength + nameLength));
            long diskSize = h.size(); // what QEMU assumes for a v2 entry without the field
            long icount = -1;
            if (extra >= 8) vmState = rest.getLong(0);
            if (extra >= 16) diskSize = rest.getLong(8);
            if (extra >= 24) icount = rest.getLong(16);
            byte[] unknown = extra > KNOWN_EXTRA ? Arrays.copyOfRange(rest.array(), KNOWN_EXTRA, extra) : new byte[0];
            String id = new String(rest.array(), extra, idLength, StandardCharsets.UTF_8);
            String name = new String(rest.array(), extra + idLength, nameLength, StandardCharsets.UTF_8);
            entries.add(new Entry(l1, l1Size, id, name, dateSeconds, dateNanos, vmClock, vmState, diskSize, icount, unknown));
            long length = FIXED + extra + idLength + nameLength;
            pos += (length + 7) & ~7L;
        }
        return new Contents(entries, pos - h.snapshotsOffset());
    }

    /** Bytes the table of {@code entries} takes. */
    static long length(List<Entry> entries) {
        long n = 0;
        for (Entry e : entries) n += e.encodedLength();
        return n;
    }

    static byte[] encode(List<Entry> entries) {
        long total = length(entries);
        if (total > MAX_TABLE_BYTES) throw new IllegalArgumentException("the snapshot table would pass 64 MiB");
        ByteBuffer b = ByteBuffer.allocate((int) total);
        for (Entry e : entries) {
            int start = b.position();
            byte[] id = utf8(e.id());
            byte[] name = utf8(e.name());
            b.putLong(e.l1Offset()).putInt(e.l1Size()).putShort((short) id.length).putShort((short) name.length)
                    .putInt((int) e.dateSeconds()).putInt(e.dateNanos()).putLong(e.vmClockNanos())
                    .putInt(e.vmStateSize() > 0xffff_ffffL ? 0 : (int) e.vmStateSize()) // larger: the 64-bit field only, as QEMU does
                    .putInt(KNOWN_EXTRA + e.unknownExtra().length)
                    .putLong(e.vmStateSize()).putLong(e.diskSize()).putLong(e.icount()).put(e.unknownExtra())
                    .put(id).put(name);
            b.position(start + e.encodedLength());
        }
        return b.array();
    }
}
