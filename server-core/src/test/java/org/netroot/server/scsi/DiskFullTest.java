package org.netroot.server.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.DiskFullException;
import org.netroot.server.storage.RawFileBlockDevice;
import org.netroot.server.storage.qcow2.Qcow2BlockDevice;
import org.netroot.server.testing.Processes;

/**
 * A 64 MiB volume on an 8 MiB tmpfs, written over the SCSI layer until the file system is full:
 * the failing write answers DATA PROTECT, SPACE ALLOCATION FAILED WRITE PROTECT; what was written
 * before reads back; UNMAP gives space back so writes work again; a qcow2 image stays clean for
 * {@code qemu-img check}. Needs root (mount).
 */
class DiskFullTest {
    static final long SIZE = 64L << 20;
    static final int CHUNK_BLOCKS = 2048; // 1 MiB per WRITE 10

    @TempDir
    Path dir;
    Path mount;
    boolean mounted;
    BlockDevice device;
    LogicalUnit unit;
    ByteBuffer dataIn;
    final List<DiskFullException> reported = new ArrayList<>();

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        assumeTrue(Processes.isRoot(), "mounting a small tmpfs needs root");
        mount = Files.createDirectory(dir.resolve("small"));
        Processes.Result r = Processes.run(20, "mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
        assumeTrue(r.exitCode() == 0, "mount -t tmpfs is not allowed here: " + r.all());
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (device != null) device.close();
        if (mounted) Processes.run(20, "umount", mount.toString());
    }

    ScsiResult run(byte[] dataOut, byte[] cdb) {
        dataIn = null;
        return unit.execute(0, cdb, dataOut == null ? null : ByteBuffer.wrap(dataOut), n -> dataIn = ByteBuffer.allocate(n));
    }

    static byte[] write10(long lba, int blocks) {
        return new byte[] {0x2a, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
                (byte) (blocks >> 8), (byte) blocks, 0};
    }

    static byte[] read10(long lba, int blocks) {
        byte[] c = write10(lba, blocks);
        c[0] = 0x28;
        return c;
    }

    void open(String format, Path file) throws Exception {
        if (format.equals("raw")) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(SIZE);
            }
            device = RawFileBlockDevice.open(file, false);
        } else {
            Qcow2BlockDevice.create(file, SIZE, Optional.empty());
            device = Qcow2BlockDevice.open(file, false);
        }
        unit = new LogicalUnit(device, UnitIdentity.forVolume("full"));
        unit.onDiskFull(reported::add);
    }

    static byte[] chunk(int i) {
        byte[] data = new byte[CHUNK_BLOCKS * 512];
        Arrays.fill(data, (byte) (i + 1));
        return data;
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "qcow2"})
    void writesPastAFullDiskFailWithSpaceAllocationFailedAndCorruptNothing(String format) throws Exception {
        Path file = mount.resolve("volume." + format);
        open(format, file);
        int written = 0;
        ScsiResult failed = null;
        for (int i = 0; i < SIZE / 512 / CHUNK_BLOCKS; i++) {
            ScsiResult r = run(chunk(i), write10((long) i * CHUNK_BLOCKS, CHUNK_BLOCKS));
            if (!r.isGood()) {
                failed = r;
                break;
            }
            written++;
        }
        System.out.printf("%s: %d MiB written on an 8 MiB tmpfs before it was full%n", format, written);
        assertNotNull(failed, "64 MiB fit on an 8 MiB tmpfs?");
        assertTrue(written >= 4, "only " + written + " MiB written before the disk was full");
        assertEquals(ScsiResult.CHECK_CONDITION, failed.status());
        assertEquals(Sense.SPACE_ALLOCATION_FAILED, Sense.parse(failed.sense()), "DATA PROTECT, 27h/07h");
        assertEquals(1, reported.size(), "the disk-full listener is told once per failed command");
        assertEquals(file, reported.get(0).file());
        assertTrue(reported.get(0).getMessage().contains("is full"), reported.get(0).getMessage());
        // a flush after the failure still works, and is not taken for a failure
        assertTrue(run(null, new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}).isGood(), "SYNCHRONIZE CACHE");
        for (int i = 0; i < written; i++) {
            ScsiResult r = run(null, read10((long) i * CHUNK_BLOCKS, CHUNK_BLOCKS));
            assertTrue(r.isGood());
            assertTrue(Arrays.equals(chunk(i), Arrays.copyOf(dataIn.array(), r.dataLength())), "MiB " + i + " reads back");
        }
        // UNMAP of the first 2 MiB gives space back: the write that failed now succeeds
        ByteBuffer list = ByteBuffer.allocate(24).putShort((short) 22).putShort((short) 16).putInt(0)
                .putLong(0).putInt(2 * CHUNK_BLOCKS).putInt(0);
        byte[] unmap = {0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0};
        assertTrue(run(list.array(), unmap).isGood(), "UNMAP on a full disk");
        assertTrue(run(chunk(written), write10((long) written * CHUNK_BLOCKS, CHUNK_BLOCKS)).isGood(),
                "the write that failed works once space came back");
        if (format.equals("qcow2") && Processes.has("qemu-img")) {
            device.close();
            device = null;
            Processes.Result check = Processes.run(60, "qemu-img", "check", file.toString());
            System.out.println("qemu-img check after the disk was full:\n" + check.all());
            assertEquals(0, check.exitCode(), "qemu-img check found corruption or leaks:\n" + check.all());
            device = Qcow2BlockDevice.open(file, false);
            unit = new LogicalUnit(device, UnitIdentity.forVolume("full"));
            for (int i = 2; i <= written; i++) {
                ScsiResult r = run(null, read10((long) i * CHUNK_BLOCKS, CHUNK_BLOCKS));
                assertTrue(Arrays.equals(chunk(i), Arrays.copyOf(dataIn.array(), r.dataLength())), "MiB " + i + " after reopening");
            }
        }
    }
}
