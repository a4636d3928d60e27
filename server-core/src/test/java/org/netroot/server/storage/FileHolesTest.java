package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/** Holes really punched on Java 22+ (Linux), zeros elsewhere; RawFileBlockDevice gives space back. */
class FileHolesTest {
    static final int MIB = 1 << 20;

    @TempDir Path dir;

    @Test
    void theJava22PathIsTheOneUsedOnThisJvm() {
        boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
        assertEquals(Runtime.version().feature() >= 22 && linux, FileHoles.nativeHoles(),
                "LinuxFileCalls (compiled with release 22) is loaded on Java " + Runtime.version().feature());
    }

    /** glibc before 2.33 exports no {@code stat}: holes are still punched, allocatedBytes says -1 (FileHoles then asks du). */
    @Test
    void holesArePunchedWhenLibcHasNoStatSymbol() throws Exception {
        Assumptions.assumeTrue(FileHoles.nativeHoles(), "needs Java 22+ on Linux (LinuxFileCalls)");
        var constructor = Class.forName("org.netroot.server.storage.LinuxFileCalls").getDeclaredConstructor(java.util.Set.class);
        constructor.setAccessible(true);
        FileHoles.Native calls = (FileHoles.Native) constructor.newInstance(java.util.Set.of("stat"));
        Path file = dir.resolve("old-libc.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] ones = new byte[MIB];
            java.util.Arrays.fill(ones, (byte) 1);
            for (int i = 0; i < 8; i++) raf.write(ones);
            raf.getFD().sync();
        }
        long before = DiskUsage.allocatedBytes(file);
        int fd = calls.openForWriting(file.toString());
        try {
            assertTrue(calls.punchHole(fd, 0, 6L * MIB), "this file system punches holes");
        } finally {
            calls.close(fd);
        }
        assertEquals(-1, calls.allocatedBytes(file.toString()), "no stat: unknown, for FileHoles to ask du");
        long after = DiskUsage.allocatedBytes(file);
        assertTrue(after <= before - 5L * MIB, "6 MiB punched: " + before + " -> " + after);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] head = new byte[MIB];
            raf.readFully(head);
            assertArrayEquals(new byte[MIB], head);
        }
    }

    @Test
    void aRawDeviceGivesDiscardedSpaceBack() throws Exception {
        Path file = dir.resolve("disk.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(16 * MIB);
        }
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            byte[] data = RawFileBlockDeviceTest.pattern(8 * MIB, 1);
            d.write(4 * MIB, ByteBuffer.wrap(data));
            d.flush();
            long written = d.allocatedBytes();
            assertEquals(statAllocated(file), written, "st_blocks through FFM agrees with stat(1)");
            assertTrue(written >= 8 * MIB, "written: " + written);
            d.discard(4 * MIB + 100, 8 * MIB - 200);
            d.flush();
            long after = d.allocatedBytes();
            if (FileHoles.nativeHoles()) assertTrue(after <= 64 * 1024, "the space went back: " + written + " -> " + after);
            assertArrayEquals(new byte[8 * MIB - 200], RawFileBlockDeviceTest.read(d, 4 * MIB + 100, 8 * MIB - 200));
            assertArrayEquals(java.util.Arrays.copyOf(data, 100), RawFileBlockDeviceTest.read(d, 4 * MIB, 100), "the bytes before are kept");
        }
    }

    static long statAllocated(Path file) throws Exception {
        return Long.parseLong(Processes.run(10, "stat", "-c", "%b", file.toString()).stdout().trim()) * 512;
    }
}
