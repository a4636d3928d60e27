package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netroot.server.storage.BlockDevice;

/** Netroot's qcow2 against qemu-img: images either one makes, read and written by the other, checked by qemu-img. */
class Qcow2QemuInteropTest {
    static final int MIB = 1 << 20;

    @TempDir Path dir;

    @BeforeAll
    static void needsQemuImg() {
        QemuImg.assumePresent();
    }

    /** Never zero, different per seed. */
    static byte[] pattern(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        for (int i = 0; i < length; i++) if (b[i] == 0) b[i] = 1;
        return b;
    }

    static byte[] read(BlockDevice d, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        d.read(offset, b);
        return b.array();
    }

    Path rawFile(String name, long size, long seed) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            if (seed != 0) {
                for (long off = 0; off < size; off += MIB) f.write(pattern((int) Math.min(MIB, size - off), seed + off));
            }
        }
        return p;
    }

    /**
     * Writes at random offsets to the device and to a raw mirror: partial clusters, cluster
     * boundaries, the very start and the very end.
     */
    static void randomWrites(BlockDevice d, Path mirror, long seed, int count) throws IOException {
        Random r = new Random(seed);
        long size = d.sizeBytes();
        try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            for (int i = 0; i < count; i++) {
                int length = 1 + r.nextInt(i % 4 == 0 ? 300_000 : 5000);
                long offset = switch (i % 5) {
                    case 0 -> 0;
                    case 1 -> size - length;
                    case 2 -> Math.max(0, ((r.nextLong(size) >>> 16) << 16) - r.nextInt(700)); // across a 64 KiB boundary (every other one a 128 KiB one)
                    default -> r.nextLong(size - length);
                };
                byte[] data = pattern(length, seed * 1000 + i);
                d.write(offset, ByteBuffer.wrap(data));
                m.seek(offset);
                m.write(data);
            }
        }
    }

    static void assertReadsAs(BlockDevice d, Path raw) throws IOException {
        byte[] expected = Files.readAllBytes(raw);
        assertEquals(expected.length, d.sizeBytes());
        for (int off = 0; off < expected.length; off += 4 * MIB) {
            int n = Math.min(4 * MIB, expected.length - off);
            byte[] got = read(d, off, n);
            for (int i = 0; i < n; i++) {
                if (got[i] != expected[off + i]) {
                    throw new AssertionError("byte " + (off + i) + " reads " + got[i] + ", expected " + expected[off + i]);
                }
            }
        }
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    Path toRaw(Path image) throws Exception {
        Path raw = dir.resolve(image.getFileName() + ".expected.raw");
        QemuImg.ok("convert", "-O", "raw", image.toString(), raw.toString());
        return raw;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void aNetrootImageIsCleanAndIdenticalForQemu(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Path mirror = rawFile("mirror.raw", 48 * MIB, 0);
        Qcow2BlockDevice.create(image, 48 * MIB, Optional.empty(), layout);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertEquals(48 * MIB, d.sizeBytes());
            randomWrites(d, mirror, 1, 60);
            assertReadsAs(d, mirror);
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, mirror);
        String info = QemuImg.ok("info", "--output=json", image.toString());
        assertTrue(info.contains("\"format\": \"qcow2\""), info);
        assertTrue(info.contains("\"compat\": \"1.1\""), info);
        assertTrue(info.contains("\"virtual-size\": " + 48 * MIB), info);
        assertTrue(info.contains("\"cluster-size\": " + layout.clusterSize()), info);
        assertTrue(info.contains("\"extended-l2\": " + layout.extendedL2()), info);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, true)) {
            assertReadsAs(d, mirror); // and read back after a clean close
            assertThrows(IOException.class, () -> d.write(0, ByteBuffer.allocate(512)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void anOverlayOverAGoldenRawImageWritesOnlyTheOverlay(ClusterLayout layout) throws Exception {
        Path golden = rawFile("golden.raw", 24 * MIB, 7);
        String before = sha256(golden);
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 32 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);
        Path mirror = rawFile("mirror.raw", 32 * MIB, 0);
        Files.write(mirror, Files.readAllBytes(golden), java.nio.file.StandardOpenOption.WRITE); // past the golden's end: zeros
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false)) {
            assertReadsAs(d, mirror);
            randomWrites(d, mirror, 2, 50);
            assertReadsAs(d, mirror);
        }
        assertEquals(before, sha256(golden), "the golden image is unchanged");
        QemuImg.checkClean(overlay);
        assertIdenticalTo(overlay, mirror);
        String info = QemuImg.ok("info", "--output=json", overlay.toString());
        assertTrue(info.contains("\"backing-filename\": \"golden.raw\""), info);
        assertTrue(info.contains("\"backing-filename-format\": \"raw\""), info);
        assertTrue(info.contains("\"virtual-size\": " + 32 * MIB), info);
    }

    /** Through qemu's own reading of the chain: the overlay as a whole equals the mirror. */
    void assertIdenticalTo(Path qcow2, Path raw) throws Exception {
        QemuImg.assertIdentical(qcow2, raw);
        assertArrayEquals(Files.readAllBytes(raw), Files.readAllBytes(toRaw(qcow2)));
    }

    @Test
    void qemuOverlayOnARawBackingFile() throws Exception {
        Path golden = rawFile("golden.raw", 20 * MIB, 11);
        String before = sha256(golden);
        Path overlay = dir.resolve("overlay.qcow2");
        QemuImg.ok("create", "-f", "qcow2", "-b", "golden.raw", "-F", "raw", overlay.toString(), String.valueOf(20 * MIB));
        runQemuIo(overlay, "write -P 0x5a 3M 100k");
        readThenWriteThenCheck(overlay, 3);
        assertEquals(before, sha256(golden), "the golden image is unchanged");
    }

    @Test
    void qemuTwoLevelQcow2Chain() throws Exception {
        Path raw = rawFile("base.raw", 16 * MIB, 21);
        Path base = dir.resolve("base.qcow2");
        QemuImg.ok("convert", "-f", "raw", "-O", "qcow2", raw.toString(), base.toString());
        Path mid = dir.resolve("mid.qcow2");
        QemuImg.ok("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", mid.toString());
        runQemuIo(mid, "write -P 0x11 1M 200k");
        runQemuIo(mid, "write -z 5M 128k"); // zero clusters over the base's data
        Path top = dir.resolve("top.qcow2");
        QemuImg.ok("create", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", top.toString());
        runQemuIo(top, "write -P 0x22 1100k 64k");
        String baseSum = sha256(base);
        String midSum = sha256(mid);
        readThenWriteThenCheck(top, 4);
        assertEquals(baseSum, sha256(base), "the lower levels are only read");
        assertEquals(midSum, sha256(mid), "the lower levels are only read");
    }

    @Test
    void qemuCompressedImage() throws Exception {
        Path raw = rawFile("plain.raw", 8 * MIB, 0);
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            for (int i = 0; i < 8 * MIB; i += 4096) { // compressible, not zero, different per block
                f.seek(i);
                f.write(("block " + i + " ").repeat(40).getBytes());
            }
        }
        Path compressed = dir.resolve("compressed.qcow2");
        QemuImg.ok("convert", "-c", "-f", "raw", "-O", "qcow2", raw.toString(), compressed.toString());
        assertTrue(Files.size(compressed) < 4 * MIB, "qemu-img compressed it: " + Files.size(compressed));
        readThenWriteThenCheck(compressed, 5);
    }

    /** What Netroot creates by default is what QEMU advises for overlays: 128 KiB clusters of 32 subclusters. */
    @Test
    void netrootCreatesExtendedL2With128KiBClusters() throws Exception {
        Path image = dir.resolve("default.qcow2");
        Qcow2BlockDevice.create(image, 16 * MIB, Optional.empty());
        String info = QemuImg.ok("info", "--output=json", image.toString());
        assertTrue(info.contains("\"cluster-size\": 131072") && info.contains("\"extended-l2\": true"), info);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, true)) {
            assertEquals(4096, d.subclusterSize());
            assertEquals(4096, d.discardGranularityBytes());
        }
        QemuImg.checkClean(image);
    }

    @Test
    void qemuImageWith4KiBClusters() throws Exception {
        Path image = dir.resolve("small.qcow2");
        QemuImg.ok("create", "-f", "qcow2", "-o", "cluster_size=4096", image.toString(), String.valueOf(24 * MIB));
        runQemuIo(image, "write -P 0x33 8k 1M");
        readThenWriteThenCheck(image, 6);
    }

    /** Internal snapshots are carried: writes copy the clusters and L2 tables they share, the snapshot keeps its data. */
    @Test
    void qemuImageWithAnInternalSnapshot() throws Exception {
        Path image = dir.resolve("snap.qcow2");
        QemuImg.ok("create", "-f", "qcow2", image.toString(), String.valueOf(16 * MIB));
        runQemuIo(image, "write -P 0x44 0 3M");
        Path atSnapshot = Files.move(toRaw(image), dir.resolve("at-snapshot.raw"));
        QemuImg.ok("snapshot", "-c", "before", image.toString());
        readThenWriteThenCheck(image, 8);
        Path snapshotNow = dir.resolve("snapshot-now.raw");
        QemuImg.ok("convert", "-O", "raw", "-l", "snapshot.name=before", image.toString(), snapshotNow.toString());
        assertArrayEquals(Files.readAllBytes(atSnapshot), Files.readAllBytes(snapshotNow), "the snapshot still holds what it held");
    }

    @Test
    void smallClustersGrowTheRefcountTable() throws Exception {
        Path image = dir.resolve("tiny.qcow2");
        Qcow2BlockDevice.create(image, 24 * MIB, Optional.empty(), ClusterLayout.standard(512)); // one table cluster counts 8 MiB of file
        Path mirror = rawFile("mirror.raw", 24 * MIB, 0);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false);
                RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            byte[] data = pattern(20 * MIB, 9);
            d.write(MIB, ByteBuffer.wrap(data));
            m.seek(MIB);
            m.write(data);
        }
        byte[] first = new byte[512];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.readFully(first);
        }
        Qcow2Header h = Qcow2Header.decode(first, Files.size(image));
        assertTrue(h.refcountTableClusters() > 1 && h.refcountTableOffset() != 512, "the refcount table grew and moved: " + h);
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, mirror);
    }

    /** Netroot reads the image as qemu does, writes into it, and qemu finds it clean and as expected. */
    void readThenWriteThenCheck(Path image, long seed) throws Exception {
        Path expected = toRaw(image);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertReadsAs(d, expected);
            randomWrites(d, expected, seed, 40);
            assertReadsAs(d, expected);
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, expected);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, true)) {
            assertReadsAs(d, expected);
        }
    }

    static void runQemuIo(Path image, String command) throws Exception {
        var r = org.netroot.server.testing.Processes.run(QemuImg.TIMEOUT_SECONDS, "qemu-io", "-f", "qcow2", "-c", command, image.toString());
        assertEquals(0, r.exitCode(), "qemu-io " + command + ": " + r.all());
    }
}
