package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
