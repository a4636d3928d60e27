package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.MIB;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.pattern;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.read;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netroot.server.storage.FileHoles;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.Qcow2CheckedTempDirs.LeavesDamagedImages;

/**
 * A metadata write or force that fails (injected through {@link HostFile.Faults}) stops the device:
 * every later operation says so instead of acting on tables that may disagree with the disk, and
 * the next open repairs the image.
 */
class Qcow2WriteFailureTest {
    static final int CLUSTER = Qcow2BlockDevice.DEFAULT_CLUSTER_SIZE;
    static final String STOPPED = "hit a write error in its metadata; it is repaired when opened again";

    @TempDir Path dir;

    static long readLong(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(at);
            return f.readLong();
        }
    }

    static void writeLong(Path file, long at, long value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.writeLong(value);
        }
    }

    /** Host offset of the L2 table the first L1 entry points to. */
    static long firstL2Table(Path image) throws IOException {
        long l1 = readLong(image, Qcow2Header.OFFSET_L1 + 4);
        return readLong(image, l1) & L2Entry.OFFSET_MASK;
    }

    static void assertStopped(Qcow2BlockDevice d) {
        List<Executable> ops = List.of(
                () -> read(d, 0, 512),
                () -> d.write(0, ByteBuffer.allocate(512)),
                () -> d.discard(0, CLUSTER),
                d::flush,
                () -> d.resize(d.sizeBytes() + MIB),
                () -> d.createSnapshot("after"),
                d::snapshots);
        for (Executable op : ops) {
            IOException e = assertThrows(IOException.class, op);
            assertTrue(e.getMessage().contains(STOPPED), e.getMessage());
        }
    }

    static void checkCleanIfQemuImg(Path image) throws Exception {
        if (Processes.has("qemu-img")) QemuImg.checkClean(image);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void aFailedL2EntryWriteStopsTheDeviceAndTheReopenRepairsIt(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 16 * MIB, Optional.empty(), layout);
        int cluster = layout.clusterSize();
        int entryBytes = layout.extendedL2() ? 16 : 8; // an extended entry and its bitmap: one write
        byte[] first = pattern(cluster, 1);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            d.write(0, ByteBuffer.wrap(first));
            long l2 = firstL2Table(image);
            d.hostFile().faults = new HostFile.Faults() {
                @Override
                public void beforeWrite(long pos, int length) throws IOException {
                    if (length == entryBytes && pos >= l2 && pos < l2 + cluster) throw new IOException("injected: L2 entry write failed");
                }
            };
            assertThrows(IOException.class, () -> d.write(cluster, ByteBuffer.wrap(pattern(cluster, 2))));
            d.hostFile().faults = null;
            // before the fix the cache already pointed the second cluster at a host cluster given back meanwhile
            assertStopped(d);
        }
        assertTrue((readLong(image, Qcow2Header.OFFSET_INCOMPATIBLE) & Qcow2Header.INCOMPAT_DIRTY) != 0, "the dirty bit stays for the repair");
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertArrayEquals(first, read(d, 0, cluster));
            assertArrayEquals(new byte[cluster], read(d, cluster, cluster), "the link never reached the disk");
            byte[] more = pattern(2 * cluster, 3);
            d.write(cluster, ByteBuffer.wrap(more));
            assertArrayEquals(more, read(d, cluster, 2 * cluster));
            assertArrayEquals(first, read(d, 0, cluster));
        }
        checkCleanIfQemuImg(image);
    }

    @Test
    void aFailedForceAfterASnapshotsHeaderWriteStopsTheDevice() throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 16 * MIB, Optional.empty());
        byte[] data = pattern(4 * CLUSTER, 4);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            d.write(0, ByteBuffer.wrap(data));
            AtomicBoolean switched = new AtomicBoolean();
            d.hostFile().faults = new HostFile.Faults() {
                @Override
                public void beforeWrite(long pos, int length) {
                    if (pos == Qcow2Header.OFFSET_SIZE && length == 48) switched.set(true);
                }

                @Override
                public void beforeForce() throws IOException {
                    if (switched.get()) throw new IOException("injected: fsync failed");
                }
            };
            assertThrows(IOException.class, () -> d.createSnapshot("s1"));
            assertTrue(switched.get(), "the header was written before the force failed");
            d.hostFile().faults = null;
            // the header on disk points at the new tables; memory still holds the old ones
            assertStopped(d);
        }
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertEquals(List.of("s1"), d.snapshots().stream().map(SnapshotInfo::name).toList());
            assertArrayEquals(data, read(d, 0, 4 * CLUSTER));
            byte[] after = pattern(CLUSTER, 5);
            d.write(0, ByteBuffer.wrap(after));
            d.revertToSnapshot("s1");
            assertArrayEquals(data, read(d, 0, 4 * CLUSTER));
        }
        checkCleanIfQemuImg(image);
    }

    /** The size on disk never covers an area where the backing image would show through unmarked. */
    @Test
    void growingOverALongerBackingImageMarksTheNewAreaBeforeTheSizeSaysItExists() throws Exception {
        Files.write(dir.resolve("golden.raw"), pattern(4 * MIB, 6));
        Path overlay = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(overlay, 2 * MIB, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)));
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false)) {
            d.hostFile().faults = new HostFile.Faults() {
                @Override
                public void beforeWrite(long pos, int length) throws IOException {
                    if (pos >= CLUSTER) throw new IOException("injected: table write failed");
                }
            };
            assertThrows(IOException.class, () -> d.resize(4 * MIB));
            d.hostFile().faults = null;
            assertEquals(2 * MIB, d.sizeBytes(), "the size is not published before the new area is marked");
        }
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(overlay, false)) {
            assertEquals(2 * MIB, d.sizeBytes(), "the size written before the marks: the backing image's data would show there");
            d.resize(4 * MIB);
            assertArrayEquals(new byte[2 * MIB], read(d, 2 * MIB, 2 * MIB), "a grown area reads zeros");
        }
        checkCleanIfQemuImg(overlay);
    }

    static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** An open that fails after FileHoles opened its native descriptor closes it (and the channel). */
    @Test
    @LeavesDamagedImages("an image damaged so that its open fails")
    void aFailedOpenLeaksNoDescriptor() throws Exception {
        assumeTrue(FileHoles.nativeHoles(), "needs the native hole punching (Java 22+ on Linux): it holds its own descriptor");
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd to count descriptors");
        Path badRefcounts = dir.resolve("bad-refcounts.qcow2");
        Qcow2BlockDevice.create(badRefcounts, 16 * MIB, Optional.empty());
        writeLong(badRefcounts, readLong(badRefcounts, Qcow2Header.OFFSET_REFCOUNT_TABLE), 12345); // fails building the allocator
        Path badDirty = dir.resolve("bad-dirty.qcow2");
        Qcow2BlockDevice.create(badDirty, 16 * MIB, Optional.empty());
        writeLong(badDirty, readLong(badDirty, Qcow2Header.OFFSET_L1 + 4), L2Entry.normal(1L << 40, true));
        writeLong(badDirty, Qcow2Header.OFFSET_INCOMPATIBLE, readLong(badDirty, Qcow2Header.OFFSET_INCOMPATIBLE) | Qcow2Header.INCOMPAT_DIRTY); // fails in the repair at open
        for (Path image : new Path[] {badRefcounts, badDirty}) {
            assertThrows(IOException.class, () -> Qcow2BlockDevice.open(image, false)); // classes loaded before counting
            long before = openDescriptors();
            for (int i = 0; i < 20; i++) assertThrows(IOException.class, () -> Qcow2BlockDevice.open(image, false));
            long after = openDescriptors();
            assertTrue(after - before < 5, image.getFileName() + ": 20 failed opens left " + (after - before) + " descriptors open");
        }
    }
}
