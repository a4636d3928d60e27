package org.netroot.server.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw (sparse) image file. Positional FileChannel I/O: no shared file pointer, so no lock.
 *
 * <p>{@link #discard} cannot give space back: that needs fallocate(FALLOC_FL_PUNCH_HOLE), which
 * Java 21 reaches only through JNI or the FFM API (final in Java 22; this code base targets 21).
 * It writes zeros where the range is not already zero, so discarded blocks read as zeros and a
 * hole stays a hole (zeros are never written over zeros).
 */
public final class RawFileBlockDevice implements BlockDevice {
    private static final int DISCARD_CHUNK = 1 << 20;
    /** Written where a discarded range is not zero yet; read-only, so one buffer serves every thread. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(DISCARD_CHUNK).asReadOnlyBuffer();
    /**
     * Where discard reads the range it checks: one per thread (the iSCSI disk threads are few
     * and long-lived), not two fresh 1 MiB direct buffers per call.
     */
    private static final ThreadLocal<ByteBuffer> DISCARD_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(DISCARD_CHUNK));

    private final Path file;
    private final FileChannel channel;
    private volatile long size;
    private final boolean readOnly;

    private RawFileBlockDevice(Path file, FileChannel channel, long size, boolean readOnly) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.readOnly = readOnly;
    }

    public static RawFileBlockDevice open(Path file, boolean readOnly) throws IOException {
        FileChannel ch = readOnly
                ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new RawFileBlockDevice(file, ch, ch.size(), readOnly);
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        long pos = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) throw new EOFException("read past end of " + size + "-byte volume at " + pos);
            pos += n;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        checkRange(offset, src.remaining());
        long pos = offset;
        while (src.hasRemaining()) pos += channel.write(src, pos);
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    /**
     * Through the open channel, never by path: the file may have been removed and another one
     * created under its name meanwhile, and this device must keep changing its own inode.
     * Shrinking is ftruncate(2) ({@link FileChannel#truncate}); growing writes one zero byte at
     * the new last offset, which extends the file and leaves the rest a hole (only the last
     * block gets allocated). The new size is published after the file has it, so no reader is
     * ever allowed past the file's end.
     */
    @Override
    public synchronized void resize(long newSizeBytes) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        if (newSizeBytes <= 0 || newSizeBytes % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("a volume's size is a positive multiple of 512 bytes, got " + newSizeBytes);
        }
        if (newSizeBytes < size) size = newSizeBytes; // shrink: stop accesses first, then cut
        long current = channel.size();
        if (newSizeBytes < current) {
            channel.truncate(newSizeBytes);
        } else if (newSizeBytes > current) {
            channel.write(ByteBuffer.allocate(1), newSizeBytes - 1);
        }
        size = newSizeBytes;
    }

    /** Zeros the range where it is not zero already (see the class comment for why not a hole). */
    @Override
    public void discard(long offset, long length) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        if (length < 0 || offset < 0 || offset > size || length > size - offset) {
            throw new IOException("discard at " + offset + "+" + length + " outside the " + size + "-byte volume");
        }
        ByteBuffer buf = DISCARD_BUFFER.get();
        ByteBuffer zeros = ZEROS.duplicate(); // a view: positions of its own, no new memory
        for (long pos = offset, end = offset + length; pos < end; ) {
            int n = (int) Math.min(buf.capacity(), end - pos);
            buf.clear().limit(n);
            read(pos, buf);
            buf.flip();
            if (!allZero(buf)) {
                zeros.clear().limit(n);
                write(pos, zeros);
            }
            pos += n;
        }
    }

    /** The file's real disk usage from {@code du} (a process spawn): -1 when unknown. */
    @Override
    public long allocatedBytes() {
        return DiskUsage.allocatedBytes(file);
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void checkRange(long offset, int length) throws IOException {
        long s = size;
        if (offset < 0 || offset + length > s) {
            throw new IOException("access at " + offset + "+" + length + " outside the " + s + "-byte volume");
        }
    }

    static boolean allZero(ByteBuffer b) {
        int i = b.position();
        int end = b.limit();
        for (; i + 8 <= end; i += 8) if (b.getLong(i) != 0) return false;
        for (; i < end; i++) if (b.get(i) != 0) return false;
        return true;
    }
}
