package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/** Resize, discard and disk usage on a real sparse file. */
class RawFileBlockDeviceTest {
    static final long MIB = 1 << 20;

    @TempDir Path dir;
    Path file;

    @BeforeEach
    void sparseFile() throws IOException {
        file = dir.resolve("disk.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(4 * MIB); // all hole
        }
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + seed | 1); // never zero
        return b;
    }

    static byte[] read(BlockDevice d, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        d.read(offset, b);
        return b.array();
    }

    /** st_blocks * 512 as stat(1) reports it: the reference allocatedBytes is checked against. */
    long statAllocated() throws Exception {
        return Long.parseLong(Processes.run(10, "stat", "-c", "%b", file.toString()).stdout().trim()) * 512;
    }

    @Test
    void growingAddsZerosWithoutTakingSpaceAndKeepsTheData() throws Exception {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            d.write(4 * MIB - 512, ByteBuffer.wrap(pattern(512, 1)));
            assertThrows(IOException.class, () -> read(d, 4 * MIB, 512), "past the end before the resize");
            long before = statAllocated();
            d.resize(64 * MIB);
            assertEquals(64 * MIB, d.sizeBytes());
            assertEquals(64 * MIB / 512, d.blockCount());
            assertEquals(64 * MIB, Files.size(file));
            assertArrayEquals(pattern(512, 1), read(d, 4 * MIB - 512, 512), "the old last block survives");
            assertArrayEquals(new byte[4096], read(d, 64 * MIB - 4096, 4096), "the new end reads as zeros");
            assertTrue(statAllocated() - before <= 64 * 1024,
                    "growing writes one byte at the new end, nothing else: the new part is a hole");
            d.write(64 * MIB - 512, ByteBuffer.wrap(pattern(512, 2)));
            assertArrayEquals(pattern(512, 2), read(d, 64 * MIB - 512, 512));
        }
    }

    @Test
    void shrinkingDropsTheDataPastTheNewEnd() throws Exception {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            d.write(MIB - 512, ByteBuffer.wrap(pattern(512, 3)));
            d.write(3 * MIB, ByteBuffer.wrap(pattern(512, 4)));
            d.resize(MIB);
            assertEquals(MIB, d.sizeBytes());
            assertEquals(MIB, Files.size(file));
            assertThrows(IOException.class, () -> read(d, MIB, 512));
            assertArrayEquals(pattern(512, 3), read(d, MIB - 512, 512));
            d.resize(4 * MIB);
            assertArrayEquals(new byte[512], read(d, 3 * MIB, 512), "grown again: the dropped data is gone");
        }
    }

    @Test
    void resizeRefusesSizesThatAreNotWholeBlocksAndReadOnlyDevices() throws Exception {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            assertThrows(IllegalArgumentException.class, () -> d.resize(MIB + 1));
            assertThrows(IllegalArgumentException.class, () -> d.resize(0));
            assertEquals(4 * MIB, d.sizeBytes());
        }
        try (RawFileBlockDevice ro = RawFileBlockDevice.open(file, true)) {
            assertThrows(IOException.class, () -> ro.resize(8 * MIB));
            assertThrows(IOException.class, () -> ro.discard(0, 512));
        }
    }

    @Test
    void discardedRangesReadBackAsZerosAndTheRestIsKept() throws Exception {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            byte[] data = pattern((int) (3 * MIB), 5);
            d.write(0, ByteBuffer.wrap(data));
            d.discard(4096, 2 * MIB + 512); // spans chunk boundaries, ends mid-MiB
            assertArrayEquals(Arrays.copyOf(data, 4096), read(d, 0, 4096), "before the range");
            assertArrayEquals(new byte[(int) (2 * MIB + 512)], read(d, 4096, (int) (2 * MIB + 512)));
            int after = 4096 + (int) (2 * MIB + 512);
            assertArrayEquals(Arrays.copyOfRange(data, after, data.length), read(d, after, data.length - after),
                    "after the range");
            assertThrows(IOException.class, () -> d.discard(4 * MIB - 512, 1024), "past the end");
        }
    }

    @Test
    void discardingAHoleWritesNothing() throws Exception {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            long before = statAllocated();
            d.discard(0, 4 * MIB);
            d.flush();
            assertEquals(before, statAllocated(), "zeros are never written over a hole");
            assertArrayEquals(new byte[4096], read(d, 0, 4096));
        }
    }

    @Test
    void allocatedBytesIsWhatTheSparseFileReallyOccupies() throws Exception {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            long empty = d.allocatedBytes();
            assertEquals(statAllocated(), empty);
            assertTrue(empty < 64 * 1024, "a 4 MiB hole occupies (almost) nothing, got " + empty);
            d.write(MIB, ByteBuffer.wrap(pattern((int) MIB, 6)));
            d.flush();
            long written = d.allocatedBytes();
            assertEquals(statAllocated(), written);
            assertTrue(written >= MIB && written < 2 * MIB, "1 MiB written occupies about 1 MiB, got " + written);
            assertTrue(written < d.sizeBytes());
        }
    }

    /** Review finding 1: a deleted and re-created volume file must not be resized through an old handle. */
    @Test
    void resizeChangesTheOpenFileNotWhateverFileNowHasItsName() throws Exception {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            Path old = dir.resolve("deleted.img");
            Files.move(file, old); // as if the volume was removed (its inode lives on while open) ...
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(MIB); // ... and a new one created under the same name
            }
            d.resize(8 * MIB);
            assertEquals(8 * MIB, Files.size(old), "the open file grew");
            assertEquals(MIB, Files.size(file), "the new file is untouched");
            d.resize(2 * MIB);
            assertEquals(2 * MIB, Files.size(old), "the open file shrank");
            assertEquals(MIB, Files.size(file), "the new file is untouched");
        }
    }

    /** Review finding 9: discard used to allocate two 1 MiB direct buffers on every call. */
    @Test
    void discardAllocatesNoDirectBufferPerCall() throws Exception {
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, false)) {
            d.write(0, ByteBuffer.wrap(pattern((int) MIB, 8)));
            d.discard(0, 2 * MIB); // the first call on a thread may set up what later ones reuse
            long before = direct.getCount();
            for (int i = 0; i < 10; i++) {
                d.write(0, ByteBuffer.wrap(pattern(4096, i)));
                d.discard(0, 2 * MIB);
            }
            assertTrue(direct.getCount() - before <= 0,
                    "discard allocated " + (direct.getCount() - before) + " direct buffers in 10 calls");
            assertArrayEquals(new byte[4096], read(d, 0, 4096));
        }
    }
}
