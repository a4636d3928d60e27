package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.MIB;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.assertReadsAs;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.randomWrites;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netroot.server.storage.FileHoles;

/** Internal snapshots taken, listed, applied and removed by Netroot and by qemu-img, each checked by the other. */
class Qcow2SnapshotTest {
    @TempDir Path dir;

    @BeforeAll
    static void needsQemuImg() {
        QemuImg.assumePresent();
    }

    Path copy(Path from, String name) throws Exception {
        return Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The snapshot as qemu reads it, in raw bytes. */
    Path qemuSnapshotBytes(Path image, String snapshot) throws Exception {
        Path out = dir.resolve(image.getFileName() + "." + snapshot + ".raw");
        Files.deleteIfExists(out);
        QemuImg.ok("convert", "-O", "raw", "-l", "snapshot.name=" + snapshot, image.toString(), out.toString());
        return out;
    }

    /** `qemu-img snapshot -a` on a copy of the image, which then holds the snapshot's bytes. */
    void assertQemuAppliesTo(Path image, String snapshot, Path expected) throws Exception {
        Path applied = copy(image, "applied-" + snapshot + ".qcow2");
        QemuImg.ok("snapshot", "-a", snapshot, applied.toString());
        QemuImg.checkClean(applied);
        QemuImg.assertIdentical(applied, expected);
        byte[] want = Files.readAllBytes(expected);
        byte[] converted = Files.readAllBytes(qemuSnapshotBytes(image, snapshot));
        // qemu-img convert -l keeps the image's current size for a snapshot of another size: the snapshot's own size is the start
        assertArrayEquals(want, java.util.Arrays.copyOf(converted, want.length));
    }

    /** qemu-img snapshot -l's TAG column (the second). */
    static List<String> qemuListedNames(Path image) throws Exception {
        return QemuImg.ok("snapshot", "-l", image.toString()).lines()
                .filter(l -> l.matches("^\\s*\\d+\\s+.*"))
                .map(l -> l.trim().split("\\s+")[1])
                .toList();
    }

    static void writeBoth(Qcow2BlockDevice d, Path mirror, long offset, byte[] data) throws Exception {
        d.write(offset, java.nio.ByteBuffer.wrap(data));
        try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
            m.seek(offset);
            m.write(data);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void netrootSnapshotsAreQemuSnapshotsAndRollBack(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Path mirror = dir.resolve("mirror.raw");
        try (RandomAccessFile f = new RandomAccessFile(mirror.toFile(), "rw")) {
            f.setLength(40 * MIB);
        }
        Qcow2BlockDevice.create(image, 40 * MIB, Optional.empty(), layout);
        Instant before = Instant.now().minusSeconds(1);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            randomWrites(d, mirror, 31, 30);
            writeBoth(d, mirror, 20 * MIB, Qcow2QemuInteropTest.pattern(4 * MIB, 1));
            SnapshotInfo first = d.createSnapshot("first");
            Path atFirst = copy(mirror, "at-first.raw");
            writeBoth(d, mirror, 20 * MIB, Qcow2QemuInteropTest.pattern(4 * MIB, 2)); // those 4 MiB are the first snapshot's alone now
            randomWrites(d, mirror, 32, 30);
            d.createSnapshot("second");
            Path atSecond = copy(mirror, "at-second.raw");
            randomWrites(d, mirror, 33, 30);
            assertReadsAs(d, mirror);
            assertEquals("1", first.id());
            assertEquals(40 * MIB, first.virtualSize());
            assertTrue(!first.date().isBefore(before) && first.date().isBefore(Instant.now().plusSeconds(1)), first.date().toString());
            assertEquals(List.of("first", "second"), d.snapshots().stream().map(SnapshotInfo::name).toList());
            assertEquals(List.of("1", "2"), d.snapshots().stream().map(SnapshotInfo::id).toList());
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> d.createSnapshot("first"));
            assertTrue(twice.getMessage().contains("already exists"), twice.getMessage());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> d.revertToSnapshot("third"));
            assertTrue(none.getMessage().contains("no snapshot named third"), none.getMessage());
            assertThrows(IllegalArgumentException.class, () -> d.deleteSnapshot("third"));
            d.flush();
            QemuImg.checkClean(image); // open and dirty: qemu-img still finds it consistent
            QemuImg.assertIdentical(image, mirror);
            assertEquals(List.of("first", "second"), qemuListedNames(image));
            assertQemuAppliesTo(image, "first", atFirst);
            assertQemuAppliesTo(image, "second", atSecond);

            d.revertToSnapshot("first");
            assertReadsAs(d, atFirst);
            d.revertToSnapshot("second");
            assertReadsAs(d, atSecond);
            Files.copy(atSecond, mirror, StandardCopyOption.REPLACE_EXISTING);
            randomWrites(d, mirror, 34, 30); // copy-on-write of what the snapshots share
            assertReadsAs(d, mirror);
            d.flush();
            QemuImg.checkClean(image);
            assertQemuAppliesTo(image, "first", atFirst);
            assertQemuAppliesTo(image, "second", atSecond);

            long withBoth = d.allocatedBytes();
            d.deleteSnapshot("first");
            d.flush();
            long withSecond = d.allocatedBytes();
            if (FileHoles.nativeHoles()) {
                assertTrue(withSecond < withBoth - 4 * MIB, "removing a snapshot gives its space back: " + withBoth + " -> " + withSecond);
            }
            assertEquals(List.of("second"), d.snapshots().stream().map(SnapshotInfo::name).toList());
            assertReadsAs(d, mirror);
            QemuImg.checkClean(image);
            assertQemuAppliesTo(image, "second", atSecond);
            d.revertToSnapshot("second");
            assertReadsAs(d, atSecond);
            System.out.println("snapshots: allocated " + withBoth / 1024 + " KiB with two, " + withSecond / 1024 + " KiB after removing one");
        }
        QemuImg.checkClean(image);
        QemuImg.assertIdentical(image, dir.resolve("at-second.raw"));
        assertEquals(List.of("second"), qemuListedNames(image));
    }

    @Test
    void qemuSnapshotsAreListedAndRolledBackByNetroot() throws Exception {
        Path image = dir.resolve("qemu.qcow2");
        QemuImg.ok("create", "-f", "qcow2", image.toString(), String.valueOf(24 * MIB));
        Qcow2QemuInteropTest.runQemuIo(image, "write -P 0x41 1M 3M");
        QemuImg.ok("snapshot", "-c", "installed", image.toString());
        Path atInstalled = qemuSnapshotBytes(image, "installed");
        Qcow2QemuInteropTest.runQemuIo(image, "write -P 0x42 2M 5M");
        QemuImg.ok("snapshot", "-c", "updated", image.toString());
        Path atUpdated = qemuSnapshotBytes(image, "updated");
        Qcow2QemuInteropTest.runQemuIo(image, "write -P 0x43 0 64k");
        Instant now = Instant.now();
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            List<SnapshotInfo> listed = d.snapshots();
            assertEquals(List.of("installed", "updated"), listed.stream().map(SnapshotInfo::name).toList());
            assertEquals(List.of("1", "2"), listed.stream().map(SnapshotInfo::id).toList());
            for (SnapshotInfo s : listed) {
                assertEquals(24 * MIB, s.virtualSize());
                assertTrue(Duration.between(s.date(), now).abs().toMinutes() < 5, s.date().toString());
            }
            d.revertToSnapshot("installed");
            assertReadsAs(d, atInstalled);
            Path mirror = copy(atInstalled, "mirror.raw");
            randomWrites(d, mirror, 41, 30);
            assertReadsAs(d, mirror);
            d.deleteSnapshot("updated");
            assertReadsAs(d, mirror);
            d.flush();
            QemuImg.checkClean(image);
            assertEquals(List.of("installed"), qemuListedNames(image));
            assertArrayEquals(Files.readAllBytes(atInstalled), Files.readAllBytes(qemuSnapshotBytes(image, "installed")));
            d.createSnapshot("mine");
            assertEquals("2", d.snapshots().get(1).id()); // QEMU's rule: one more than the largest ID
            assertThrows(IllegalArgumentException.class, () -> d.createSnapshot("1"), "another snapshot's ID");
        }
        QemuImg.checkClean(image);
        assertEquals(List.of("installed", "mine"), qemuListedNames(image));
        assertTrue(atUpdated.toFile().length() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void snapshotsOfAnOverlayOverAGoldenImage(ClusterLayout layout) throws Exception {
        Path golden = dir.resolve("golden.raw");
        try (RandomAccessFile f = new RandomAccessFile(golden.toFile(), "rw")) {
            for (long off = 0; off < 16 * MIB; off += MIB) f.write(Qcow2QemuInteropTest.pattern(MIB, 500 + off));
        }
        byte[] goldenBytes = Files.readAllBytes(golden);
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 20 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);
        Path mirror = dir.resolve("mirror.raw");
        try (RandomAccessFile f = new RandomAccessFile(mirror.toFile(), "rw")) {
            f.setLength(20 * MIB);
            f.write(goldenBytes);
        }
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false)) {
            randomWrites(d, mirror, 51, 20);
            d.createSnapshot("clean");
            Path atClean = copy(mirror, "at-clean.raw");
            randomWrites(d, mirror, 52, 20);
            d.discard(3 * MIB, 2 * MIB); // zero clusters over the golden data
            try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
                m.seek(3 * MIB);
                m.write(new byte[2 * MIB]);
            }
            d.resize(24 * MIB);
            try (RandomAccessFile m = new RandomAccessFile(mirror.toFile(), "rw")) {
                m.setLength(24 * MIB);
            }
            assertReadsAs(d, mirror);
            d.createSnapshot("grown");
            Path atGrown = copy(mirror, "at-grown.raw");
            d.flush();
            QemuImg.checkClean(overlay);
            QemuImg.assertIdentical(overlay, mirror);
            d.revertToSnapshot("clean");
            assertEquals(20 * MIB, d.sizeBytes(), "a rollback gives the volume the snapshot's size");
            assertReadsAs(d, atClean);
            d.flush();
            QemuImg.checkClean(overlay);
            QemuImg.assertIdentical(overlay, atClean);
            d.revertToSnapshot("grown");
            assertEquals(24 * MIB, d.sizeBytes());
            assertReadsAs(d, atGrown);
        }
        assertArrayEquals(goldenBytes, Files.readAllBytes(golden), "the golden image is only read");
        QemuImg.checkClean(overlay);
        QemuImg.assertIdentical(overlay, dir.resolve("at-grown.raw"));
        assertQemuAppliesTo(overlay, "clean", dir.resolve("at-clean.raw"));
    }
}
