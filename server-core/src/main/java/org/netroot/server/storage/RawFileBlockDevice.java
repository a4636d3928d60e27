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
 * <p>{@link #discard} punches a hole through {@link FileHoles} (fallocate on Java 22+ and Linux): the
 * range reads as zeros and its space goes back to the disk. Elsewhere it writes zeros where the range
 * is not already zero, so a hole stays a hole but no space comes back.
 */
public final class RawFileBlockDevice implements BlockDevice {
    private final Path file;
    private final FileChannel channel;
    private volatile long size;
    private final boolean readOnly;
    private final FileHoles holes; // null when read-only

    private RawFileBlockDevice(Path file, FileChannel channel, long size, boolean readOnly, FileHoles holes) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.readOnly = readOnly;
        this.holes = holes;
    }

    public static RawFileBlockDevice open(Path file, boolean readOnly) throws IOException {
        FileChannel ch = readOnly
                ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new RawFileBlockDevice(file, ch, ch.size(), readOnly, readOnly ? null : FileHoles.open(file, ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
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
        try {
            while (src.hasRemaining()) pos += channel.write(src, pos);
        } catch (IOException e) {
            throw DiskFullException.classify(file, e); // a sparse file takes space as it is written
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw DiskFullException.classify(file, e); // NFS and thin-provisioned LVM report ENOSPC at fsync
        }
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

    /** A hole where the system can punch one, else zeros where the range is not zero already. */
    @Override
    public void discard(long offset, long length) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        if (length < 0 || offset < 0 || offset > size || length > size - offset) {
            throw new IOException("discard at " + offset + "+" + length + " outside the " + size + "-byte volume");
        }
        try {
            holes.punch(offset, length);
        } catch (IOException e) {
            throw DiskFullException.classify(file, e); // without hole punching, zeros are written
        }
    }

    /** Hole punching frees whole file system blocks (4 KiB on ext4, XFS, tmpfs); partial ones are zeroed. */
    @Override
    public int discardGranularityBytes() {
        return 4096;
    }

    /** The file's real disk usage (st_blocks; see {@link FileHoles#allocatedBytes}): -1 when unknown. */
    @Override
    public long allocatedBytes() {
        return FileHoles.allocatedBytes(file);
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void close() throws IOException {
        if (holes != null) holes.close();
        channel.close();
    }

    private void checkRange(long offset, int length) throws IOException {
        long s = size;
        if (offset < 0 || offset + length > s) {
            throw new IOException("access at " + offset + "+" + length + " outside the " + s + "-byte volume");
        }
    }

    static boolean allZero(ByteBuffer b) {
        return FileHoles.allZero(b);
    }
}
