package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.MIB;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.assertReadsAs;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.pattern;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.randomWrites;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.read;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.FileHoles;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.Qcow2CheckedTempDirs.LeavesDamagedImages;

/**
 * Extended L2 entries (qcow2 subclusters): images qemu makes and writes read as qemu reads them;
 * what Netroot writes, discards and snapshots in them, qemu-img finds clean and reads the same.
 */
class Qcow2SubclusterTest {
    static final int CLUSTER = ClusterLayout.EXTENDED.clusterSize();
    static final int SUB = ClusterLayout.EXTENDED.subclusterSize();

    @TempDir Path dir;

    @BeforeAll
    static void needsQemuImg() {
        QemuImg.assumePresent();
    }

    Path golden(long size, long seed) throws IOException {
        Path p = dir.resolve("golden.raw");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (long off = 0; off < size; off += MIB) f.write(pattern((int) Math.min(MIB, size - off), seed + off));
        }
        return p;
    }

    Path overlay(String name, long size) throws IOException {
        Path p = dir.resolve(name);
        Qcow2BlockDevice.create(p, size, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), ClusterLayout.EXTENDED);
        return p;
    }

    Path toRaw(Path image) throws Exception {
        Path raw = dir.resolve(image.getFileName() + ".raw");
        Files.deleteIfExists(raw);
        QemuImg.ok("convert", "-O", "raw", image.toString(), raw.toString());
        return raw;
    }

    /** One qemu-io run with several commands. */
    static void qemuIo(Path image, String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "qcow2"));
        for (String c : commands) cmd.addAll(List.of("-c", c));
        cmd.add(image.toString());
        Processes.Result r = Processes.run(QemuImg.TIMEOUT_SECONDS, cmd);
        assertEquals(0, r.exitCode(), "qemu-io " + String.join(" ", commands) + ": " + r.all());
        assertTrue(!r.all().contains("error") && !r.all().contains("failed"), "qemu-io: " + r.all());
    }

    static void writeBoth(BlockDevice d, Path mirror, long offset, byte[] data) throws IOException {
        d.write(offset, ByteBuffer.wrap(data));
        try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            m.seek(offset);
            m.write(data);
        }
    }

    static void discardBoth(BlockDevice d, Path mirror, long offset, int length) throws IOException {
        d.discard(offset, length);
        try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            m.seek(offset);
            m.write(new byte[length]);
        }
    }

    /** The host bytes of {@code image}'s extents with data of its own (depth 0, "data": true), as qemu-img map lists them. */
    static long ownDataBytes(Path image) throws Exception {
        long total = 0;
        for (String line : QemuImg.ok("map", "--output=json", image.toString()).split("\n")) {
            if (line.contains("\"depth\": 0") && line.contains("\"data\": true")) {
                var m = java.util.regex.Pattern.compile("\"length\": (\\d+)").matcher(line);
                if (m.find()) total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    /**
     * qemu writes into subclusters of an overlay: whole and partial ones, zeroed ones ({@code write
     * -z}, with and without unmap), discarded clusters, a zero over an allocated subcluster. Netroot
     * reads every byte as qemu does, then writes and discards in it, and qemu finds it clean and equal.
     */
    @Test
    void qemuWrittenSubclustersReadAsQemuReadsThem() throws Exception {
        golden(8 * MIB, 1);
        Path image = dir.resolve("qemu.qcow2");
        QemuImg.ok("create", "-f", "qcow2", "-o", "extended_l2=on,cluster_size=128k", "-b", "golden.raw", "-F", "raw",
                image.toString(), String.valueOf(8 * MIB));
        qemuIo(image,
                "write -P 0x11 4k 4k", // one subcluster
                "write -P 0x12 130k 1k", // part of one: qemu copies the rest of it from the backing file
                "write -P 0x13 200k 60k", // several, not aligned
                "write -z 64k 8k", // zero subclusters of an allocated cluster
                "write -z 300k 2k",
                "write -P 0x14 1M 128k", "discard 1M 128k", // a whole cluster discarded: zero over the backing file
                "write -z -u 3M 256k", // zero clusters, unmapped
                "write -P 0x16 5M 8k", "write -z 5M 4k", // zero over an allocated subcluster
                "write -P 0x17 8188k 4k"); // the last subcluster
        QemuImg.checkClean(image);
        Path expected = toRaw(image);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, true)) {
            assertTrue(d.extendedL2());
            assertEquals(SUB, d.discardGranularityBytes());
            assertReadsAs(d, expected);
            byte[] all = Files.readAllBytes(expected);
            for (int off = 0; off < 8 * MIB; off += 44_093) { // short reads across every kind of boundary
                byte[] want = java.util.Arrays.copyOfRange(all, off, (int) Math.min(8 * MIB, off + 9000));
                assertArrayEquals(want, read(d, off, want.length), "at " + off);
            }
        }
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            randomWrites(d, expected, 2, 40);
            writeBoth(d, expected, 64 * 1024 + 100, pattern(100, 3)); // into a zero subcluster, partly
            writeBoth(d, expected, 3 * MIB + 5000, pattern(3000, 4)); // into a zero cluster
            discardBoth(d, expected, 200 * 1024, 12 * SUB + 17);
            assertReadsAs(d, expected);
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, expected);
        qemuIo(image, "write -P 0x18 260k 20k"); // qemu writes into what Netroot left
        Path again = toRaw(image);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, true)) {
            assertReadsAs(d, again);
        }
    }

    /** A 4 KiB write into a fresh overlay writes 4 KiB (plus metadata), not a cluster copied from the golden image. */
    @Test
    void aSmallWriteIntoAFreshOverlayWritesOnlyItsSubclusters() throws Exception {
        golden(64 * MIB, 5);
        Path image = overlay("overlay.qcow2", 64 * MIB);
        Path mirror = Files.copy(dir.resolve("golden.raw"), dir.resolve("mirror.raw"));
        long before = FileHoles.allocatedBytes(image);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            for (int i = 0; i < 200; i++) writeBoth(d, mirror, (long) i * 2 * CLUSTER + (i % 32) * SUB, pattern(SUB, 100 + i));
            writeBoth(d, mirror, 500L * CLUSTER / 2 + 7, pattern(100, 6)); // part of a subcluster: the rest of it from the golden image
            writeBoth(d, mirror, 3 * CLUSTER - 1000, pattern(3000, 7)); // across a cluster boundary
            d.flush();
            long grown = FileHoles.allocatedBytes(image) - before;
            System.out.println("202 small writes into a fresh extended-L2 overlay: " + grown / 1024 + " KiB allocated");
            if (grown >= 0 && FileHoles.nativeHoles()) {
                assertTrue(grown < 205L * SUB + 4 * CLUSTER, "only the subclusters written take space: " + grown);
            }
            assertReadsAs(d, mirror);
        }
        assertEquals(203L * SUB, ownDataBytes(image), "qemu-img map: 4 KiB of the overlay's own data per write (two for the crossing one)");
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, mirror);
    }

    /**
     * Discards inside a cluster go by subcluster: zero where the golden image would show through,
     * unallocated without one; the host bytes are punched; the partial ends are written with zeros.
     */
    @ParameterizedTest(name = "backing file: {0}")
    @ValueSource(booleans = {true, false})
    void partialDiscardsGoBySubcluster(boolean withBacking) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Path mirror = dir.resolve("mirror.raw");
        if (withBacking) {
            golden(8 * MIB, 8);
            Files.copy(dir.resolve("golden.raw"), mirror);
            Qcow2BlockDevice.create(image, 8 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), ClusterLayout.EXTENDED);
        } else {
            try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
                m.setLength(8 * MIB);
            }
            Qcow2BlockDevice.create(image, 8 * MIB, Optional.empty(), ClusterLayout.EXTENDED);
        }
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            writeBoth(d, mirror, 0, pattern(4 * MIB, 9));
            d.flush();
            long written = d.allocatedBytes();
            for (int c = 0; c < 16; c++) discardBoth(d, mirror, (long) c * CLUSTER + 2 * SUB + 100, 20 * SUB); // 19 whole subclusters each
            discardBoth(d, mirror, 20L * CLUSTER + SUB, 100); // a sliver: zeros written
            d.flush();
            if (FileHoles.nativeHoles()) {
                long freed = written - d.allocatedBytes();
                assertTrue(freed >= 16L * 18 * SUB, "the discarded subclusters' space went back (19 x 16 x 4 KiB): " + freed + " bytes");
            }
            assertReadsAs(d, mirror);
            writeBoth(d, mirror, CLUSTER + 5 * SUB + 10, pattern(SUB, 10)); // written again, into two discarded subclusters
            writeBoth(d, mirror, 2L * CLUSTER + 3 * SUB, pattern(2 * SUB, 11));
            assertReadsAs(d, mirror);
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, mirror);
        assertEquals(4 * MIB - 16L * 19 * SUB + 4 * SUB, ownDataBytes(image),
                "qemu-img map: the discarded subclusters hold no data; the ones written again do");
    }

    /** Snapshots of an extended-L2 image: the bitmaps are kept, shared clusters copied on write with what they had allocated. */
    @Test
    void snapshotsKeepSubclusterStates() throws Exception {
        golden(8 * MIB, 12);
        Path image = overlay("overlay.qcow2", 8 * MIB);
        Path mirror = Files.copy(dir.resolve("golden.raw"), dir.resolve("mirror.raw"));
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            for (int i = 0; i < 40; i++) writeBoth(d, mirror, (long) i * 3 * SUB * 7, pattern(SUB + (i % 3) * 1000, 200 + i));
            discardBoth(d, mirror, CLUSTER + 4 * SUB, 8 * SUB);
            d.createSnapshot("one");
            Path atOne = Files.copy(mirror, dir.resolve("at-one.raw"));
            for (int i = 0; i < 40; i++) writeBoth(d, mirror, (long) i * 5 * SUB * 3 + 2 * SUB, pattern(SUB, 300 + i)); // copy-on-write of shared clusters
            discardBoth(d, mirror, 20L * CLUSTER + 6 * SUB, 8 * SUB); // in a shared cluster: its bitmap changes, its bytes stay for the snapshot
            assertReadsAs(d, mirror);
            d.flush();
            QemuImg.checkClean(image);
            QemuImg.assertIdentical(image, mirror);
            Path applied = Files.copy(image, dir.resolve("applied.qcow2"), StandardCopyOption.REPLACE_EXISTING);
            QemuImg.ok("snapshot", "-a", "one", applied.toString());
            QemuImg.checkClean(applied);
            QemuImg.assertIdentical(applied, atOne);
            d.revertToSnapshot("one");
            assertReadsAs(d, atOne);
            Files.copy(atOne, mirror, StandardCopyOption.REPLACE_EXISTING);
            randomWrites(d, mirror, 13, 30);
            d.deleteSnapshot("one");
            assertReadsAs(d, mirror);
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, mirror);
    }

    /** Compressed clusters have no subclusters: read whole, and a write copies the whole cluster to a new one. */
    @Test
    void compressedClustersOfAnExtendedImage() throws Exception {
        Path raw = dir.resolve("plain.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            for (int i = 0; i < 4 * MIB; i += 4096) {
                f.seek(i);
                f.write(("block " + i + " ").repeat(40).getBytes());
            }
        }
        Path image = dir.resolve("compressed.qcow2");
        QemuImg.ok("convert", "-c", "-f", "raw", "-O", "qcow2", "-o", "extended_l2=on,cluster_size=128k", raw.toString(), image.toString());
        Path expected = toRaw(image);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertReadsAs(d, expected);
            writeBoth(d, expected, CLUSTER + 3 * SUB + 5, pattern(700, 14));
            discardBoth(d, expected, 5L * CLUSTER + SUB, 4 * SUB); // whole subclusters of a compressed cluster: written as zeros
            randomWrites(d, expected, 15, 20);
            assertReadsAs(d, expected);
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, expected);
    }

    /** A bitmap that contradicts itself is refused when read (as QEMU does), not read as something. */
    @Test
    @LeavesDamagedImages("the image's bitmap is corrupted on purpose")
    void aCorruptBitmapIsRefusedWhenRead() throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 4 * MIB, Optional.empty(), ClusterLayout.EXTENDED);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            d.write(0, ByteBuffer.wrap(pattern(2 * CLUSTER, 16)));
        }
        long l2 = Qcow2WriteFailureTest.firstL2Table(image);
        long bitmap = Qcow2WriteFailureTest.readLong(image, l2 + 16 + 8);
        assertEquals(0xffff_ffffL, bitmap, "the second cluster is allocated whole");
        Qcow2WriteFailureTest.writeLong(image, l2 + 16 + 8, bitmap | 1L << 32); // subcluster 0 allocated and zero
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, true)) {
            assertArrayEquals(java.util.Arrays.copyOf(pattern(2 * CLUSTER, 16), CLUSTER), read(d, 0, CLUSTER));
            IOException e = assertThrows(IOException.class, () -> read(d, CLUSTER, 512));
            assertTrue(e.getMessage().contains("both allocated and zero"), e.getMessage());
        }
    }

    @Test
    void resizeDropsAndAddsSubclusters() throws Exception {
        golden(4 * MIB, 17);
        Path image = overlay("overlay.qcow2", 2 * MIB);
        Path mirror = dir.resolve("mirror.raw");
        Files.write(mirror, java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("golden.raw")), 2 * MIB));
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            writeBoth(d, mirror, 2 * MIB - 3 * CLUSTER, pattern(3 * CLUSTER, 18));
            d.resize(2 * MIB - CLUSTER - 5 * SUB - 512); // mid-subcluster, mid-cluster
            d.resize(3 * MIB); // grown over the longer golden image: zeros, not its bytes
            try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
                m.setLength(2 * MIB - CLUSTER - 5 * SUB - 512);
                m.setLength(3 * MIB);
            }
            assertReadsAs(d, mirror);
            writeBoth(d, mirror, 2 * MIB - CLUSTER - 4 * SUB, pattern(SUB, 19));
            assertReadsAs(d, mirror);
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, mirror);
    }

    /**
     * Writers filling different subclusters of the same fresh clusters at once, and discards of
     * other subclusters of them meanwhile: each writer waits for the one filling the cluster, no
     * piece and no discard is lost, every cluster is counted once.
     */
    @Test
    void concurrentWritersAndDiscardsInTheSameClusters() throws Exception {
        golden(8 * MIB, 20);
        Path image = overlay("overlay.qcow2", 8 * MIB);
        int threads = 8;
        int clusters = 32;
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false);
                ExecutorService pool = Executors.newFixedThreadPool(threads + 2)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int c = 0; c < clusters; c++) { // thread t writes subclusters t and t + 8 of each cluster, the second in part
                        d.write((long) c * CLUSTER + thread * SUB, ByteBuffer.wrap(pattern(SUB, c * 100 + thread)));
                        d.write((long) c * CLUSTER + (thread + 8) * SUB + 1000, ByteBuffer.wrap(pattern(2000, -c * 100 - thread)));
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                int thread = t;
                done.add(pool.submit(() -> { // subclusters 20..23 and 24..27 discarded meanwhile
                    for (int c = 0; c < clusters; c++) d.discard((long) c * CLUSTER + (20 + 4 * thread) * SUB, 4 * SUB);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        Path mirror = Files.copy(dir.resolve("golden.raw"), dir.resolve("mirror.raw"));
        try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            for (int c = 0; c < clusters; c++) {
                for (int t = 0; t < threads; t++) {
                    m.seek((long) c * CLUSTER + t * SUB);
                    m.write(pattern(SUB, c * 100 + t));
                    m.seek((long) c * CLUSTER + (t + 8) * SUB + 1000);
                    m.write(pattern(2000, -c * 100 - t));
                }
                m.seek((long) c * CLUSTER + 20 * SUB);
                m.write(new byte[8 * SUB]);
            }
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, mirror);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, true)) {
            assertReadsAs(d, mirror);
        }
    }

    /** Images made before subclusters, and qemu's default ones, keep their standard entries when Netroot writes them. */
    @Test
    void standardImagesStayStandard() throws Exception {
        Path image = dir.resolve("std.qcow2");
        Qcow2BlockDevice.create(image, 8 * MIB, Optional.empty(), ClusterLayout.STANDARD);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertTrue(!d.extendedL2());
            assertEquals(65536, d.discardGranularityBytes());
            d.write(5000, ByteBuffer.wrap(pattern(SUB, 21)));
        }
        String info = QemuImg.ok("info", "--output=json", image.toString());
        assertTrue(info.contains("\"extended-l2\": false") && info.contains("\"cluster-size\": 65536"), info);
        assertEquals(65536, ownDataBytes(image), "a standard cluster is allocated whole");
        QemuImg.checkClean(image);
    }
}
