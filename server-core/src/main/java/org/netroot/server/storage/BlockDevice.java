package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A virtual disk as the SCSI layer sees it: bytes addressed by offset. Raw files today; qcow2
 * images, copy-on-write overlays and snapshots later, behind this same interface.
 * Implementations are safe for concurrent reads and writes at different offsets.
 */
public interface BlockDevice extends AutoCloseable {
    /** Logical block size the device reports to initiators. */
    int BLOCK_SIZE = 512;

    long sizeBytes();

    default long blockCount() {
        return sizeBytes() / BLOCK_SIZE;
    }

    /** Fills {@code dst} from its position to its limit with the bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src} from its position to its limit at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;

    boolean readOnly();

    @Override
    void close() throws IOException;
}
