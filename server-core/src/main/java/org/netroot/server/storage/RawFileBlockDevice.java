package org.netroot.server.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A raw (sparse) image file. Positional FileChannel I/O: no shared file pointer, so no lock. */
public final class RawFileBlockDevice implements BlockDevice {
    private final FileChannel channel;
    private final long size;
    private final boolean readOnly;

    private RawFileBlockDevice(FileChannel channel, long size, boolean readOnly) {
        this.channel = channel;
        this.size = size;
        this.readOnly = readOnly;
    }

    public static RawFileBlockDevice open(Path file, boolean readOnly) throws IOException {
        FileChannel ch = readOnly
                ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new RawFileBlockDevice(ch, ch.size(), readOnly);
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

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void checkRange(long offset, int length) throws IOException {
        if (offset < 0 || offset + length > size) {
            throw new IOException("access at " + offset + "+" + length + " outside the " + size + "-byte volume");
        }
    }
}
