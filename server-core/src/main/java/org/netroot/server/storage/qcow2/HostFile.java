package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional I/O on the image file: no shared file pointer, so any thread may call it at once. */
final class HostFile {
    /** Failure injection for tests: consulted before every write, force and punch (null in use). */
    interface Faults {
        default void beforeWrite(long pos, int length) throws IOException {
        }

        default void beforeForce() throws IOException {
        }

        default void beforePunch(long pos, long length) throws IOException {
        }
    }

    final FileChannel channel;
    volatile Faults faults;

    HostFile(FileChannel channel) {
        this.channel = channel;
    }

    /** Fills {@code dst}; bytes past the file's end read as zeros (a cluster preallocated by a size only). */
    void read(long pos, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                while (dst.hasRemaining()) dst.put((byte) 0);
                return;
            }
            pos += n;
        }
    }

    void write(long pos, ByteBuffer src) throws IOException {
        Faults f = faults;
        if (f != null) f.beforeWrite(pos, src.remaining());
        while (src.hasRemaining()) pos += channel.write(src, pos);
    }

    void write(long pos, byte[] bytes) throws IOException {
        write(pos, ByteBuffer.wrap(bytes));
    }

    void writeLong(long pos, long value) throws IOException {
        write(pos, ByteBuffer.allocate(8).putLong(0, value));
    }

    byte[] readBytes(long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        read(pos, b);
        return b.array();
    }

    long[] readLongs(long pos, int count) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(readBytes(pos, count * 8));
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = b.getLong(i * 8);
        return out;
    }

    static byte[] encodeLongs(long[] values, int totalBytes) {
        ByteBuffer b = ByteBuffer.allocate(totalBytes);
        for (long v : values) b.putLong(v);
        return b.array();
    }

    long size() throws IOException {
        return channel.size();
    }

    void force() throws IOException {
        Faults f = faults;
        if (f != null) f.beforeForce();
        channel.force(false);
    }
}
