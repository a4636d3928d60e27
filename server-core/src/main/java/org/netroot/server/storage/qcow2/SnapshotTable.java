package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The internal snapshot table (qcow2.txt, "Snapshots"), read only to know which clusters it and
 * its snapshots' L1 tables hold. Netroot carries snapshots unchanged; it does not take or apply them.
 */
final class SnapshotTable {
    /** A snapshot's L1 table. */
    record SnapshotL1(long offset, int size) {
    }

    /** The table's length in bytes and its snapshots' L1 tables. */
    record Contents(long length, List<SnapshotL1> l1Tables) {
    }

    private static final int FIXED = 40;

    private SnapshotTable() {
    }

    static Contents read(HostFile file, Qcow2Header h) throws IOException {
        List<SnapshotL1> l1s = new ArrayList<>();
        long pos = h.snapshotsOffset();
        long fileSize = file.size();
        for (int i = 0; i < h.nbSnapshots(); i++) {
            if (pos + FIXED > fileSize) throw new IOException("qcow2 snapshot table runs past the end of the file");
            ByteBuffer b = ByteBuffer.wrap(file.readBytes(pos, FIXED));
            long l1 = b.getLong(0);
            int l1Size = b.getInt(8);
            int idLength = Short.toUnsignedInt(b.getShort(12));
            int nameLength = Short.toUnsignedInt(b.getShort(14));
            long extra = Integer.toUnsignedLong(b.getInt(36));
            if (l1Size < 0 || (l1 & (h.clusterSize() - 1)) != 0 || l1 + 8L * l1Size > fileSize) {
                throw new IOException("qcow2 snapshot " + i + " has its L1 table outside the file");
            }
            l1s.add(new SnapshotL1(l1, l1Size));
            long length = FIXED + extra + idLength + nameLength;
            pos += (length + 7) & ~7L;
        }
        return new Contents(pos - h.snapshotsOffset(), l1s);
    }
}
