package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.MIB;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.pattern;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.read;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netroot.server.storage.FileHoles;

/** Discard, resize and concurrent I/O, each checked by qemu-img afterwards. */
class Qcow2DiscardResizeTest {
    @TempDir Path dir;

    @BeforeAll
    static void needsQemuImg() {
        QemuImg.assumePresent();
    }

    Path golden(long size, long seed) throws IOException {
        Path p = dir.resolve("golden.raw");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (long off = 0; off < size; off += MIB) f.write(pattern(MIB, seed + off));
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void discardGivesSpaceBackAndReadsZerosEvenOverABackingFile(ClusterLayout layout) throws Exception {
        golden(16 * MIB, 3);
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 16 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);
        Path mirror = dir.resolve("mirror.raw");
        java.nio.file.Files.copy(dir.resolve("golden.raw"), mirror);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false);
                RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            byte[] data = pattern(8 * MIB, 4);
            d.write(4 * MIB, ByteBuffer.wrap(data));
            d.flush();
            long written = d.allocatedBytes();
            assertTrue(written >= 8 * MIB, "8 MiB written take 8 MiB: " + written);
            d.discard(4 * MIB - 1000, 8 * MIB + 3000); // partial clusters at both ends
            d.flush();
            long discarded = d.allocatedBytes();
            if (FileHoles.nativeHoles()) {
                assertTrue(discarded < written - 7 * MIB, "discarding gave the space back: " + written + " -> " + discarded);
            }
            assertArrayEquals(new byte[8 * MIB + 3000], read(d, 4 * MIB - 1000, 8 * MIB + 3000),
                    "reads zeros, not the backing file's data");
            m.seek(4 * MIB - 1000);
            m.write(new byte[8 * MIB + 3000]);
            // written again into freed clusters: the quarantine lets them be reused
            byte[] again = pattern(MIB, 5);
            d.write(6 * MIB, ByteBuffer.wrap(again));
            m.seek(6 * MIB);
            m.write(again);
            assertArrayEquals(again, read(d, 6 * MIB, MIB));
        }
        QemuImg.checkClean(overlay);
        QemuImg.assertIdentical(overlay, mirror);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void discardWithoutBackingLeavesClustersUnallocated(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 16 * MIB, Optional.empty(), layout);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            d.write(0, ByteBuffer.wrap(pattern(16 * MIB, 6)));
            d.discard(0, 16 * MIB);
            assertArrayEquals(new byte[MIB], read(d, 7 * MIB, MIB));
        }
        QemuImg.checkClean(image);
        String map = QemuImg.ok("map", "--output=json", image.toString());
        assertTrue(!map.contains("\"data\": true"), "no cluster holds data: " + map);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void resizeGrowsAndShrinks(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 16 * MIB, Optional.empty(), layout);
        byte[] tail = pattern(MIB, 7);
        long big = 3L << 30; // past what the first L1 table covered: the L1 grows and moves
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            d.write(15 * MIB, ByteBuffer.wrap(tail));
            d.resize(big);
            assertEquals(big, d.sizeBytes());
            assertArrayEquals(tail, read(d, 15 * MIB, MIB));
            assertArrayEquals(new byte[MIB], read(d, big - MIB, MIB), "the new end reads as zeros");
            d.write(big - 4096, ByteBuffer.wrap(pattern(4096, 8)));
        }
        QemuImg.checkClean(image);
        assertTrue(QemuImg.ok("info", "--output=json", image.toString()).contains("\"virtual-size\": " + big));
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertArrayEquals(pattern(4096, 8), read(d, big - 4096, 4096));
            d.resize(15 * MIB + 512); // mid-cluster: the rest of that cluster is dropped too
            assertThrows(IOException.class, () -> read(d, 15 * MIB + 512, 512));
            assertArrayEquals(java.util.Arrays.copyOf(tail, 512), read(d, 15 * MIB, 512));
            d.resize(16 * MIB);
            assertArrayEquals(new byte[MIB - 512], read(d, 15 * MIB + 512, MIB - 512), "grown again: the dropped data is gone");
        }
        QemuImg.checkClean(image);
        assertTrue(QemuImg.ok("info", "--output=json", image.toString()).contains("\"virtual-size\": " + 16 * MIB));
        Path mirror = dir.resolve("mirror.raw");
        try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            m.setLength(16 * MIB);
            m.seek(15 * MIB);
            m.write(tail, 0, 512);
        }
        QemuImg.assertIdentical(image, mirror);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void growingOverALongerBackingFileAddsZeros(ClusterLayout layout) throws Exception {
        golden(8 * MIB, 9);
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 4 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false)) {
            d.resize(8 * MIB);
            assertArrayEquals(new byte[4 * MIB], read(d, 4 * MIB, 4 * MIB), "not the backing file's bytes");
            assertArrayEquals(pattern(MIB, 9), read(d, 0, MIB));
        }
        QemuImg.checkClean(overlay);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void concurrentWritersAndReadersOnDistinctRegions(ClusterLayout layout) throws Exception {
        golden(32 * MIB, 10);
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 32 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);
        int threads = 6;
        long region = 32L * MIB / threads / 4096 * 4096;
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long base = t * region;
                    int id = t;
                    done.add(pool.submit(() -> {
                        for (long off = 0; off + 12288 <= region; off += 12288) { // 3 x 4 KiB: straddles clusters
                            d.write(base + off, ByteBuffer.wrap(pattern(12288, id * 100_000L + off)));
                            if (off % (10 * 12288) == 0) d.discard(base + off + 4096, 4096);
                            if (off % (10 * 12288) == 0) d.write(base + off + 4096, ByteBuffer.wrap(pattern(4096, -id - off)));
                        }
                        return null;
                    }));
                    done.add(pool.submit(() -> { // a reader sweeping the same region meanwhile
                        for (int pass = 0; pass < 3; pass++) {
                            for (long off = 0; off + MIB <= region; off += MIB) read(d, base + off, MIB);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < threads; t++) {
                long base = t * region;
                for (long off = 0; off + 12288 <= region; off += 12288) {
                    byte[] expected = pattern(12288, t * 100_000L + off);
                    if (off % (10 * 12288) == 0) System.arraycopy(pattern(4096, -t - off), 0, expected, 4096, 4096);
                    assertArrayEquals(expected, read(d, base + off, 12288), "thread " + t + " at " + off);
                }
            }
        }
        QemuImg.checkClean(overlay);
    }

    /**
     * Writers racing to allocate the same clusters of a fresh overlay (each its own 4 KiB of them):
     * one allocates and fills each cluster, the others wait for it and write in place, so no piece
     * is lost and every cluster is counted once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void concurrentWritersIntoTheSameNewClusters(ClusterLayout layout) throws Exception {
        golden(8 * MIB, 8);
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 8 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);
        Path mirror = dir.resolve("mirror.raw");
        java.nio.file.Files.copy(dir.resolve("golden.raw"), mirror);
        int threads = 8;
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false);
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int c = 0; c < 32; c++) { // 32 clusters: thread t writes the t-th 4 KiB of each
                        d.write(c * (long) layout.clusterSize() + thread * 4096L, ByteBuffer.wrap(pattern(4096, c * 100 + thread)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            for (int c = 0; c < 32; c++) {
                for (int t = 0; t < threads; t++) {
                    m.seek(c * (long) layout.clusterSize() + t * 4096L);
                    m.write(pattern(4096, c * 100 + t));
                }
            }
        }
        QemuImg.checkClean(overlay);
        QemuImg.assertIdentical(overlay, mirror);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, true)) {
            Qcow2QemuInteropTest.assertReadsAs(d, mirror);
        }
    }

    /** A discard of part of a cluster that reads zeros already allocates nothing (it used to: 256 KiB grew to 6.9 MiB). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void smallDiscardsInNeverWrittenSpaceAllocateNothing(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 64 * MIB, Optional.empty(), layout);
        long before = java.nio.file.Files.size(image);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            for (int i = 0; i < 100; i++) d.discard(i * 256L * 1024 + 8192, 4096);
            d.flush();
            long after = java.nio.file.Files.size(image);
            System.out.println("100 discards of 4 KiB in never-written space: image file " + before + " -> " + after + " bytes");
            assertEquals(before, after, "100 small discards in never-written space grew the image");
        }
        QemuImg.checkClean(image);
    }

    /** Over a backing image a partial discard still writes zeros (allocating); over a zero cluster it does nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void smallDiscardsOverBackingDataReadZerosAndOverZeroClustersAllocateNothing(ClusterLayout layout) throws Exception {
        golden(4 * MIB, 8);
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 4 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);
        Path mirror = dir.resolve("mirror.raw");
        java.nio.file.Files.copy(dir.resolve("golden.raw"), mirror);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false);
                RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            d.discard(MIB + 4096, 4096); // never written, backing data under it
            m.seek(MIB + 4096);
            m.write(new byte[4096]);
            d.discard(2 * MIB, MIB); // whole clusters: flagged zero
            m.seek(2 * MIB);
            m.write(new byte[(int) MIB]);
            d.flush();
            long flagged = java.nio.file.Files.size(overlay);
            for (int i = 0; i < 10; i++) d.discard(2 * MIB + i * 65536L + 512, 4096); // inside zero clusters (subclusters)
            d.flush();
            assertEquals(flagged, java.nio.file.Files.size(overlay), "partial discards of zero clusters allocated");
            assertArrayEquals(new byte[4096], read(d, MIB + 4096, 4096), "a partial discard over backing data reads zeros");
        }
        QemuImg.checkClean(overlay);
        QemuImg.assertIdentical(overlay, mirror);
    }

    /** Clusters freed by a discard are handed out again only after a force: their unlinking is on disk first. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void freedClustersAreForcedToDiskBeforeReuse(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 16 * MIB, Optional.empty(), layout);
        int cluster = layout.clusterSize();
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            d.write(0, ByteBuffer.wrap(pattern(2 * cluster, 9)));
            d.flush();
            d.discard(0, cluster);
            long size = java.nio.file.Files.size(image);
            java.util.concurrent.atomic.AtomicInteger forces = new java.util.concurrent.atomic.AtomicInteger();
            d.hostFile().faults = new HostFile.Faults() {
                @Override
                public void beforeForce() {
                    forces.incrementAndGet();
                }
            };
            byte[] data = pattern(cluster, 10);
            d.write(4L * cluster, ByteBuffer.wrap(data));
            d.hostFile().faults = null;
            assertEquals(size, java.nio.file.Files.size(image), "the freed cluster was reused, the file did not grow");
            assertTrue(forces.get() >= 1, "the discard's writes were not forced before its cluster was reused");
            assertArrayEquals(data, read(d, 4L * cluster, cluster));
            assertArrayEquals(new byte[cluster], read(d, 0, cluster));
        }
        QemuImg.checkClean(image);
    }
}
