package org.netroot.server.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.FileHoles;
import org.netroot.server.storage.RawFileBlockDevice;
import org.netroot.server.storage.qcow2.ClusterLayout;
import org.netroot.server.storage.qcow2.Qcow2BlockDevice;
import org.netroot.server.testing.Processes;

/**
 * UNMAP, WRITE SAME with UNMAP and the provisioning VPD pages on real raw and qcow2 volumes in a
 * temp folder: discarded ranges read zeros and give their space back (st_blocks).
 */
class ThinProvisioningTest {
    static final long SIZE = 64L << 20;
    static final int MIB_BLOCKS = (1 << 20) / 512;

    @TempDir
    Path dir;
    Path file;
    BlockDevice device;
    LogicalUnit unit;
    ByteBuffer dataIn;

    @AfterEach
    void close() throws Exception {
        if (device != null) device.close();
    }

    void open(String format) throws Exception {
        if (format.equals("raw")) {
            file = dir.resolve("disk.img");
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(SIZE); // sparse, as VolumeStore makes them
            }
            device = RawFileBlockDevice.open(file, false);
        } else {
            file = dir.resolve("disk.qcow2");
            Qcow2BlockDevice.create(file, SIZE, Optional.empty());
            device = Qcow2BlockDevice.open(file, false);
        }
        unit = new LogicalUnit(device, UnitIdentity.forVolume("disk"));
    }

    ScsiResult run(byte[] dataOut, byte[] cdb) {
        dataIn = null;
        return unit.execute(0, cdb, dataOut == null ? null : ByteBuffer.wrap(dataOut), n -> dataIn = ByteBuffer.allocate(n));
    }

    static byte[] cdb(int... bytes) {
        byte[] c = new byte[16];
        for (int i = 0; i < bytes.length; i++) c[i] = (byte) bytes[i];
        return c;
    }

    static byte[] cdb16(int op, int flags, long lba, long count) {
        return ByteBuffer.allocate(16).put((byte) op).put((byte) flags).putLong(lba).putInt((int) count).array();
    }

    static byte[] unmapCdb(int flags, int listLength) {
        byte[] c = cdb(0x42, flags);
        c[7] = (byte) (listLength >> 8);
        c[8] = (byte) listLength;
        return c;
    }

    /** An UNMAP parameter list with one descriptor per {lba, count} pair. */
    static byte[] unmapList(long... lbaCount) {
        int n = lbaCount.length / 2;
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * n);
        b.putShort((short) (6 + 16 * n)).putShort((short) (16 * n)).putInt(0);
        for (int i = 0; i < n; i++) b.putLong(lbaCount[2 * i]).putInt((int) lbaCount[2 * i + 1]).putInt(0);
        return b.array();
    }

    static void assertSense(Sense expected, ScsiResult r) {
        assertEquals(ScsiResult.CHECK_CONDITION, r.status(), "status");
        assertEquals(expected, Sense.parse(r.sense()));
    }

    static void assertGood(ScsiResult r, String what) {
        assertTrue(r.isGood(), () -> what + ": " + Sense.parse(r.sense()));
    }

    void fill(long lba, int blocks, byte value) {
        byte[] data = new byte[blocks * 512];
        Arrays.fill(data, value);
        for (int done = 0; done < blocks; done += LogicalUnit.MAX_TRANSFER_BLOCKS) {
            int n = Math.min(LogicalUnit.MAX_TRANSFER_BLOCKS, blocks - done);
            assertGood(run(Arrays.copyOfRange(data, done * 512, (done + n) * 512), cdb16(0x8a, 0, lba + done, n)), "WRITE 16");
        }
    }

    byte[] read(long lba, int blocks) {
        ScsiResult r = run(null, cdb16(0x88, 0, lba, blocks));
        assertGood(r, "READ 16");
        return Arrays.copyOf(dataIn.array(), r.dataLength());
    }

    static void assertAll(byte expected, byte[] data, String what) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] != expected) throw new AssertionError(what + ": byte " + i + " is " + data[i] + ", not " + expected);
        }
    }

    // ---- the space comes back -------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"raw", "qcow2"})
    void unmapOf16MiBGivesTheSpaceBackAndTheRangeReadsZeros(String format) throws Exception {
        assumeTrue(FileHoles.nativeHoles(), "this JVM cannot punch holes (needs Java 22+ on Linux): space would not come back");
        open(format);
        fill(0, 32 * MIB_BLOCKS, (byte) 0x5a);
        assertGood(run(null, cdb(0x35)), "SYNCHRONIZE CACHE");
        long before = device.allocatedBytes();
        assertTrue(before >= 32L << 20, "32 MiB written, " + before + " bytes allocated");
        byte[] list = unmapList(8 * MIB_BLOCKS, 16 * MIB_BLOCKS); // 8 MiB .. 24 MiB
        assertGood(run(list, unmapCdb(0, list.length)), "UNMAP");
        long after = device.allocatedBytes();
        System.out.printf("%s: UNMAP of 16 MiB: allocated %d -> %d bytes%n", format, before, after);
        // 16 MiB of data comes back; qcow2 may write up to a cluster of metadata (an L2 or refcount block
        // first touched) while doing it, and the file system counts it in 4 KiB pages
        long slack = format.equals("qcow2") ? Qcow2BlockDevice.DEFAULT_CLUSTER_SIZE : 0;
        assertTrue(before - after >= (16L << 20) - slack, format + ": allocated " + before + " -> " + after
                + ", not 16 MiB less");
        assertAll((byte) 0, read(8 * MIB_BLOCKS, 16 * MIB_BLOCKS), "the unmapped range");
        assertAll((byte) 0x5a, read(8 * MIB_BLOCKS - 1, 1), "the block before it");
        assertAll((byte) 0x5a, read(24 * MIB_BLOCKS, 1), "the block after it");
        assertQemuCheckClean(format);
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "qcow2"})
    void writeSameWithUnmapAndZerosDiscardsWithDataWrites(String format) throws Exception {
        assumeTrue(FileHoles.nativeHoles(), "this JVM cannot punch holes (needs Java 22+ on Linux): space would not come back");
        open(format);
        fill(0, 16 * MIB_BLOCKS, (byte) 0x33);
        long before = device.allocatedBytes();
        // WRITE SAME 16, UNMAP, a zero block: 8 MiB (the maximum WRITE SAME length: 16 MiB)
        assertGood(run(new byte[512], cdb16(0x93, 0x08, 0, 8 * MIB_BLOCKS)), "WRITE SAME 16 UNMAP");
        // WRITE SAME 16, UNMAP, NDOB (no data: zeros): 4 MiB
        assertGood(run(null, cdb16(0x93, 0x09, 8 * MIB_BLOCKS, 4 * MIB_BLOCKS)), "WRITE SAME 16 UNMAP NDOB");
        // WRITE SAME 10, UNMAP, zeros: 2 MiB
        byte[] ws10 = cdb(0x41, 0x08, 0, 0, 0x60, 0, 0, 0x10, 0, 0); // LBA 24576 (12 MiB), 4096 blocks
        assertGood(run(new byte[512], ws10), "WRITE SAME 10 UNMAP");
        long after = device.allocatedBytes();
        System.out.printf("%s: WRITE SAME UNMAP of 14 MiB: allocated %d -> %d bytes%n", format, before, after);
        assertTrue(before - after >= 14L << 20, format + ": allocated " + before + " -> " + after);
        assertAll((byte) 0, read(0, 14 * MIB_BLOCKS), "the unmapped range");
        assertAll((byte) 0x33, read(14 * MIB_BLOCKS, 2 * MIB_BLOCKS), "past it");
        // UNMAP with a block that is not zeros: written, not discarded
        byte[] pattern = new byte[512];
        Arrays.fill(pattern, (byte) 0x44);
        assertGood(run(pattern, cdb16(0x93, 0x08, 100, 3)), "WRITE SAME 16 UNMAP with a pattern");
        assertAll((byte) 0x44, read(100, 3), "the pattern");
        assertQemuCheckClean(format);
    }

    /** After close, qemu-img finds no corruption and no leaked cluster in the qcow2 image. */
    void assertQemuCheckClean(String format) throws Exception {
        if (!format.equals("qcow2") || !Processes.has("qemu-img")) return;
        device.close();
        device = null;
        Processes.Result r = Processes.run(60, "qemu-img", "check", file.toString());
        assertEquals(0, r.exitCode(), "qemu-img check:\n" + r.all());
    }

    // ---- what initiators read ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"raw", "qcow2"})
    void readCapacity16AndVpdPagesSayThinProvisioned(String format) throws Exception {
        open(format);
        ScsiResult rc = run(null, cdb(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
        assertGood(rc, "READ CAPACITY 16");
        assertEquals(0xc0, dataIn.get(14) & 0xc0, "LBPME and LBPRZ");
        ScsiResult lp = run(null, cdb(0x12, 1, 0xb2, 0, 255, 0));
        assertGood(lp, "VPD b2");
        assertEquals(4, dataIn.get(3), "page length");
        assertEquals(0xe4, dataIn.get(5) & 0xff, "LBPU, LBPWS, LBPWS10, LBPRZ=001b, no ANC_SUP, no DP");
        assertEquals(2, dataIn.get(6) & 0x07, "provisioning type: thin");
        ScsiResult bl = run(null, cdb(0x12, 1, 0xb0, 0, 255, 0));
        assertGood(bl, "VPD b0");
        assertEquals(LogicalUnit.MAX_UNMAP_BLOCKS, dataIn.getInt(20), "maximum unmap LBA count");
        assertEquals(LogicalUnit.MAX_UNMAP_DESCRIPTORS, dataIn.getInt(24), "maximum unmap block descriptor count");
        // qcow2: a subcluster (4 KiB: Netroot's images have extended L2 entries), the smallest discard that frees space
        int granularity = format.equals("qcow2") ? ClusterLayout.EXTENDED.subclusterSize() / 512 : 4096 / 512;
        assertEquals(granularity, dataIn.getInt(28), "optimal unmap granularity in blocks");
        assertEquals(0x80000000, dataIn.getInt(32), "UGAVALID, alignment 0");
        assertEquals(LogicalUnit.MAX_WRITE_SAME_BLOCKS, dataIn.getLong(36), "maximum WRITE SAME length");
    }

    @Test
    void getLbaStatusSaysMappedOrUnknownToTheEndAndRefusesLbasPastIt() throws Exception {
        open("raw");
        long blocks = SIZE / 512;
        byte[] c = cdb16(0x9e, 0x12, 100, 0);
        c[13] = 24; // allocation length, bytes 10..13
        ScsiResult r = run(null, c);
        assertGood(r, "GET LBA STATUS");
        assertEquals(24, r.dataLength());
        assertEquals(20, dataIn.getInt(0), "parameter data length");
        assertEquals(100, dataIn.getLong(8), "descriptor starts at the LBA asked for");
        assertEquals(blocks - 100, dataIn.getInt(16), "and runs to the end");
        assertEquals(0, dataIn.get(20) & 0x0f, "mapped or unknown");
        for (long past : new long[] {blocks, blocks + 1, -1L, Long.MIN_VALUE}) {
            byte[] beyond = cdb16(0x9e, 0x12, past, 0);
            beyond[13] = 24;
            assertSense(Sense.LBA_OUT_OF_RANGE, run(null, beyond));
        }
    }

    // ---- what UNMAP refuses -------------------------------------------------------------------

    @Test
    void unmapParameterListIsCheckedBeforeAnythingIsDiscarded() throws Exception {
        open("raw");
        long last = SIZE / 512 - 1;
        fill(0, 8, (byte) 0x11);
        byte[] ok = unmapList(0, 4);
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(ok, unmapCdb(0x01, ok.length))); // ANCHOR
        assertGood(run(null, unmapCdb(0, 0)), "parameter list length 0 is no error");
        assertSense(Sense.PARAMETER_LIST_LENGTH_ERROR, run(Arrays.copyOf(ok, 4), unmapCdb(0, 4)));
        // a range past the end, after a valid one: LBA OUT OF RANGE, and the valid one is not discarded
        byte[] pastEnd = unmapList(0, 4, last, 2);
        assertSense(Sense.LBA_OUT_OF_RANGE, run(pastEnd, unmapCdb(0, pastEnd.length)));
        assertAll((byte) 0x11, read(0, 8), "blocks of a refused UNMAP");
        byte[] beyond = unmapList(last + 1, 1);
        assertSense(Sense.LBA_OUT_OF_RANGE, run(beyond, unmapCdb(0, beyond.length)));
        long[] many = new long[2 * (LogicalUnit.MAX_UNMAP_DESCRIPTORS + 1)];
        for (int i = 0; i < many.length / 2; i++) many[2 * i] = i;
        for (int i = 0; i < many.length / 2; i++) many[2 * i + 1] = 1;
        byte[] tooMany = unmapList(many);
        assertSense(Sense.INVALID_FIELD_IN_PARAMETER_LIST, run(tooMany, unmapCdb(0, tooMany.length)));
        // the maximum unmap LBA count holds for the whole command: ranges may overlap, the sum counts
        long[] overlapping = new long[2 * (LogicalUnit.MAX_UNMAP_BLOCKS / 100_000 + 1)];
        for (int i = 0; i < overlapping.length / 2; i++) overlapping[2 * i + 1] = 100_000;
        byte[] tooLong = unmapList(overlapping);
        assertSense(Sense.INVALID_FIELD_IN_PARAMETER_LIST, run(tooLong, unmapCdb(0, tooLong.length)));
        assertAll((byte) 0x11, read(0, 8), "nothing discarded by refused commands");
        // the last exactly at the end, and a zero-length descriptor: both fine
        byte[] atEnd = unmapList(last, 1, 5, 0);
        assertGood(run(atEnd, unmapCdb(0, atEnd.length)), "UNMAP of the last block");
        assertAll((byte) 0x11, read(0, 8), "a zero-length descriptor discards nothing");
    }

    @Test
    void shortOrTruncatedDescriptorListsUseWhatCame() throws Exception {
        open("raw");
        fill(0, 8, (byte) 0x22);
        // block descriptor data length says 2 descriptors, the list holds 1: that one is used (as LIO)
        byte[] one = unmapList(0, 2);
        one[3] = 32;
        assertGood(run(one, unmapCdb(0, one.length)), "descriptor length past the list");
        assertAll((byte) 0, read(0, 2), "the descriptor that came");
        // a descriptor cut short (block descriptor data length 24): ignored (SBC-4 §5.31.2)
        byte[] two = unmapList(2, 2, 4, 2);
        two[3] = 24;
        assertGood(run(two, unmapCdb(0, two.length)), "a truncated last descriptor");
        assertAll((byte) 0, read(2, 2), "the whole descriptor");
        assertAll((byte) 0x22, read(4, 4), "the truncated descriptor's blocks");
    }

    @Test
    void readOnlyVolumeRefusesUnmapAndWriteSameUnmap() throws Exception {
        file = dir.resolve("ro.img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        device = RawFileBlockDevice.open(file, true);
        unit = new LogicalUnit(device, UnitIdentity.forVolume("ro"));
        byte[] list = unmapList(0, 1);
        assertSense(Sense.WRITE_PROTECTED, run(list, unmapCdb(0, list.length)));
        assertSense(Sense.WRITE_PROTECTED, run(new byte[512], cdb16(0x93, 0x08, 0, 1)));
    }

    @Test
    void writeSameLongerThanItsLimitIsRefused() throws Exception {
        open("raw");
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(new byte[512], cdb16(0x93, 0x08, 0, LogicalUnit.MAX_WRITE_SAME_BLOCKS + 1)));
    }

    @Test
    void aFlushThatFailsIsAWriteErrorNotGood() throws Exception {
        open("raw");
        device.close(); // the channel is gone: force() throws, as an fsync that fails would
        assertSense(Sense.WRITE_ERROR, run(null, cdb(0x35)));
        assertSense(Sense.WRITE_ERROR, run(null, cdb16(0x91, 0, 0, 0)));
        device = null;
    }
}
