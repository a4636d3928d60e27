package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Gives a file's unused ranges back to the host file system, and says what a file really occupies.
 *
 * <p>Punching a hole is fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE), which Java reaches
 * only through the FFM API (final in Java 22; this code base targets 21). {@code LinuxFileCalls}
 * (src/main/java22, compiled with release 22 into the same classes folder) makes those calls; it is
 * loaded by reflection when the running JVM is 22 or newer on Linux (x86-64 or aarch64), so the
 * classes folder and the jar work the same. Elsewhere, or where the file system cannot punch holes,
 * {@link #punch} writes zeros where the range is not zero already: the range reads as zeros and a
 * hole stays a hole, but no space comes back.
 *
 * <p>One instance per open file: it holds its own descriptor of the same inode, opened with the
 * channel, so a file renamed or replaced under its name meanwhile is never the one punched.
 */
public final class FileHoles implements AutoCloseable {
    /** What {@code LinuxFileCalls} offers; plain types so this class compiles at release 21. */
    public interface Native {
        /** An O_WRONLY|O_CLOEXEC descriptor of {@code path}. */
        int openForWriting(String path) throws IOException;

        /** Punches the hole; false when the file system does not support it (EOPNOTSUPP). */
        boolean punchHole(int fd, long offset, long length) throws IOException;

        void close(int fd);

        /** st_blocks * 512 of {@code path}, or -1. */
        long allocatedBytes(String path);
    }

    private static final int CHUNK = 1 << 20;
    /** Written where a range is not zero yet; read-only, so one buffer serves every thread. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();
    /** Where the zero fallback reads the range it checks: one per thread, not 1 MiB per call. */
    private static final ThreadLocal<ByteBuffer> CHECK_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
    private static final Native NATIVE = loadNative();

    private final FileChannel channel;
    private final int fd; // -1: no native descriptor, zeros are written instead
    private volatile boolean holesUnsupported;

    private FileHoles(FileChannel channel, int fd) {
        this.channel = channel;
        this.fd = fd;
    }

    /** For a file opened read-write as {@code channel}; {@code file} must name the same file now. */
    public static FileHoles open(Path file, FileChannel channel) throws IOException {
        int fd = NATIVE == null ? -1 : NATIVE.openForWriting(file.toAbsolutePath().toString());
        return new FileHoles(channel, fd);
    }

    /** True when this JVM punches real holes (Java 22+ on Linux), false when it writes zeros. */
    public static boolean nativeHoles() {
        return NATIVE != null;
    }

    /** Makes {@code [offset, offset + length)} read as zeros, giving the space back when it can. */
    public void punch(long offset, long length) throws IOException {
        if (length <= 0) return;
        if (fd >= 0 && !holesUnsupported) {
            if (NATIVE.punchHole(fd, offset, length)) return;
            holesUnsupported = true; // this file system has no holes (EOPNOTSUPP): zeros from now on
        }
        writeZerosWhereNotZero(channel, offset, length);
    }

    /** Bytes {@code file} occupies on disk (st_blocks): FFM stat(2) when it can, else {@code du}; -1 when unknown. */
    public static long allocatedBytes(Path file) {
        if (NATIVE != null) {
            long n = NATIVE.allocatedBytes(file.toAbsolutePath().toString());
            if (n >= 0) return n;
        }
        return DiskUsage.allocatedBytes(file);
    }

    /** Zeros are never written over zeros, so a hole stays a hole (no space is taken). */
    static void writeZerosWhereNotZero(FileChannel channel, long offset, long length) throws IOException {
        ByteBuffer buf = CHECK_BUFFER.get();
        ByteBuffer zeros = ZEROS.duplicate(); // a view: positions of its own, no new memory
        long fileEnd = channel.size();
        for (long pos = offset, end = Math.min(offset + length, fileEnd); pos < end; ) {
            int n = (int) Math.min(buf.capacity(), end - pos);
            buf.clear().limit(n);
            while (buf.hasRemaining() && channel.read(buf, pos + buf.position()) >= 0) {
                // positional reads until the chunk is full or the file ends
            }
            buf.flip();
            if (!allZero(buf)) {
                zeros.clear().limit(buf.limit());
                for (long p = pos; zeros.hasRemaining(); ) p += channel.write(zeros, p);
            }
            pos += n;
        }
    }

    static boolean allZero(ByteBuffer b) {
        int i = b.position();
        int end = b.limit();
        for (; i + 8 <= end; i += 8) if (b.getLong(i) != 0) return false;
        for (; i < end; i++) if (b.get(i) != 0) return false;
        return true;
    }

    @Override
    public void close() {
        if (fd >= 0) NATIVE.close(fd);
    }

    private static Native loadNative() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (Runtime.version().feature() < 22 || !os.contains("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return null;
        }
        try {
            return (Native) Class.forName("org.netroot.server.storage.LinuxFileCalls")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // not built with the Java 22 class, or no libc symbols: zeros instead of holes
        }
    }
}
