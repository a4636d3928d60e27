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

    /** The current size; it changes only through {@link #resize}. */
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

    /**
     * Changes the size to {@code newSizeBytes} (a positive multiple of {@link #BLOCK_SIZE}). Growing
     * adds bytes that read as zeros; shrinking drops everything past the new end. Callers decide
     * whether a shrink is allowed (no one may be using the blocks it drops).
     */
    void resize(long newSizeBytes) throws IOException;

    /**
     * Forgets the bytes of {@code [offset, offset + length)}: afterwards they read as zeros. Whether
     * the space goes back to the disk is the implementation's to say (see its javadoc).
     */
    void discard(long offset, long length) throws IOException;

    /**
     * The smallest discard that gives space back, in bytes (a multiple of {@link #BLOCK_SIZE}):
     * a discard of less, or the unaligned ends of a larger one, only writes zeros. SCSI reports it
     * as the optimal unmap granularity so initiators send aligned, whole-unit discards.
     */
    default int discardGranularityBytes() {
        return BLOCK_SIZE;
    }

    /**
     * Bytes the device really occupies on the host's disk (less than {@link #sizeBytes()} for a
     * sparse file), or -1 when that cannot be known. May be slow (it may ask the operating system
     * outside the JVM): for management views, never the I/O path.
     */
    long allocatedBytes();

    boolean readOnly();

    @Override
    void close() throws IOException;
}
