package org.netroot.server.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.RawFileBlockDevice;

/** The SBC/SPC command set on bytes, over a raw volume file in a temp folder. */
class ScsiCommandsTest {
    static final int BLOCKS = 2048; // 1 MiB

    @TempDir
    Path dir;
    Path file;
    RawFileBlockDevice device;
    LogicalUnit unit;
    ByteBuffer dataIn;

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("disk.img");
        Files.write(file, new byte[BLOCKS * 512]);
        device = RawFileBlockDevice.open(file, false);
        unit = new LogicalUnit(device, UnitIdentity.forVolume("disk"));
    }

    @AfterEach
    void close() throws Exception {
        device.close();
    }

    ScsiResult run(int... cdb) {
        return run(null, cdb);
    }

    ScsiResult run(byte[] dataOut, int... cdb) {
        byte[] c = new byte[16];
        for (int i = 0; i < cdb.length; i++) c[i] = (byte) cdb[i];
        dataIn = null;
        return unit.execute(0, c, dataOut == null ? null : ByteBuffer.wrap(dataOut), n -> dataIn = ByteBuffer.allocate(n));
    }

    byte[] data(ScsiResult r) {
        return Arrays.copyOf(dataIn.array(), r.dataLength());
    }

    static void assertSense(Sense expected, ScsiResult r) {
        assertEquals(ScsiResult.CHECK_CONDITION, r.status());
        assertEquals(expected, Sense.parse(r.sense()));
        assertEquals(0x70, r.sense()[0] & 0xff, "fixed format");
    }

    @Test
    void testUnitReadyAndHarmlessCommandsAreGood() {
        assertTrue(run(0x00, 0, 0, 0, 0, 0).isGood());
        assertTrue(run(0x1b, 0, 0, 0, 1, 0).isGood(), "START STOP UNIT");
        assertTrue(run(0x1e, 0, 0, 0, 1, 0).isGood(), "PREVENT ALLOW MEDIUM REMOVAL");
    }

    @Test
    void standardInquiry() {
        ScsiResult r = run(0x12, 0, 0, 0, 255, 0);
        assertTrue(r.isGood());
        byte[] d = data(r);
        assertEquals(96, d.length);
        assertEquals(0, d[0], "direct access block device, connected");
        assertEquals(0x06, d[2], "SPC-4");
        assertEquals("NETROOT ", new String(d, 8, 8, StandardCharsets.US_ASCII));
        assertEquals("VIRTUAL DISK    ", new String(d, 16, 16, StandardCharsets.US_ASCII));
        assertEquals(36, data(run(0x12, 0, 0, 0, 36, 0)).length, "allocation length truncates");
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(0x12, 0, 0x80, 0, 255, 0)); // page code without EVPD
    }

    @Test
    void vpdPages() {
        byte[] supported = data(run(0x12, 1, 0x00, 0, 255, 0));
        assertArrayEquals(new byte[] {0, 0, 0, 6, 0, (byte) 0x80, (byte) 0x83, (byte) 0xb0, (byte) 0xb1, (byte) 0xb2}, supported);
        byte[] serial = data(run(0x12, 1, 0x80, 0, 255, 0));
        assertEquals(UnitIdentity.forVolume("disk").serial(), new String(serial, 4, serial[3], StandardCharsets.US_ASCII));
        byte[] ids = data(run(0x12, 1, 0x83, 0, 255, 0));
        assertEquals(0x83, ids[1] & 0xff);
        assertEquals(0x01, ids[4], "binary code set");
        assertEquals(0x03, ids[5], "LU association, NAA designator");
        assertEquals(8, ids[7]);
        assertEquals(3, (ids[8] >> 4) & 0xf, "NAA 3: locally assigned");
        byte[] limits = data(run(0x12, 1, 0xb0, 0, 255, 0));
        assertEquals(0x3c, limits[3]);
        assertEquals(LogicalUnit.MAX_TRANSFER_BLOCKS, ByteBuffer.wrap(limits, 8, 4).getInt());
        byte[] characteristics = data(run(0x12, 1, 0xb1, 0, 255, 0));
        assertEquals(1, ByteBuffer.wrap(characteristics, 4, 2).getShort(), "non-rotating");
        byte[] provisioning = data(run(0x12, 1, 0xb2, 0, 255, 0));
        assertEquals(0xb2, provisioning[1] & 0xff);
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(0x12, 1, 0xc7, 0, 255, 0));
    }

    @Test
    void naaIdentifierIsUniquePerVolumeAndStable() {
        assertNotEquals(UnitIdentity.forVolume("pc1-disk").naa(), UnitIdentity.forVolume("pc2-disk").naa());
        assertEquals(UnitIdentity.forVolume("pc1-disk"), UnitIdentity.forVolume("pc1-disk"));
    }

    @Test
    void readCapacity10And16() {
        byte[] rc10 = data(run(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(BLOCKS - 1, ByteBuffer.wrap(rc10).getInt());
        assertEquals(512, ByteBuffer.wrap(rc10).getInt(4));
        byte[] rc16 = data(run(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
        assertEquals(32, rc16.length);
        assertEquals(BLOCKS - 1, ByteBuffer.wrap(rc16).getLong());
        assertEquals(512, ByteBuffer.wrap(rc16).getInt(8));
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(0x9e, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
    }

    @Test
    void writeThenReadIn6And10And16ByteForms() throws Exception {
        byte[] block = new byte[512];
        Arrays.fill(block, (byte) 0x11);
        assertTrue(run(block, 0x0a, 0, 0, 5, 1, 0).isGood(), "WRITE 6 at LBA 5");
        Arrays.fill(block, (byte) 0x22);
        assertTrue(run(block, 0x2a, 0, 0, 0, 0, 6, 0, 0, 1, 0).isGood(), "WRITE 10 at LBA 6");
        Arrays.fill(block, (byte) 0x33);
        assertTrue(run(block, 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0).isGood(), "WRITE 16 at LBA 7");
        byte[] disk = Files.readAllBytes(file);
        assertEquals(0x11, disk[5 * 512]);
        assertEquals(0x22, disk[6 * 512]);
        assertEquals(0x33, disk[7 * 512 + 511]);
        ScsiResult r6 = run(0x08, 0, 0, 5, 3, 0);
        assertEquals(1536, r6.dataLength());
        byte[] three = data(r6);
        assertEquals(0x11, three[0]);
        assertEquals(0x22, three[512]);
        assertEquals(0x33, three[1024]);
        assertEquals(0x22, data(run(0x28, 0, 0, 0, 0, 6, 0, 0, 1, 0))[0]);
        assertEquals(0x33, data(run(0x88, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0))[0]);
        assertEquals(0, run(0x28, 0, 0, 0, 0, 6, 0, 0, 0, 0).dataLength(), "READ 10 of 0 blocks moves nothing");
    }

    @Test
    void outOfRangeAndProtectionFieldsAreIllegalRequests() {
        assertSense(Sense.LBA_OUT_OF_RANGE, run(0x28, 0, 0, 0, 0x08, 0x00, 0, 0, 1, 0)); // LBA 2048
        assertSense(Sense.LBA_OUT_OF_RANGE, run(0x28, 0, 0, 0, 0x07, 0xff, 0, 0, 2, 0)); // runs past the end
        assertSense(Sense.LBA_OUT_OF_RANGE, run(0x88, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0));
        assertSense(Sense.LBA_OUT_OF_RANGE, run(new byte[512], 0x2a, 0, 0, 0, 0x08, 0x00, 0, 0, 1, 0));
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0)); // RDPROTECT
        assertTrue(run(0x28, 0, 0, 0, 0x07, 0xff, 0, 0, 1, 0).isGood(), "the last block is readable");
    }

    @Test
    void unknownOpcodeAndOtherLuns() {
        assertSense(Sense.INVALID_OPCODE, run(0xc5));
        byte[] c = new byte[16];
        c[0] = 0x00;
        assertSense(Sense.LUN_NOT_SUPPORTED, unit.execute(1, c, null, n -> ByteBuffer.allocate(n)));
        c[0] = 0x12;
        c[4] = 36;
        ByteBuffer[] inq = new ByteBuffer[1];
        assertTrue(unit.execute(1, c, null, n -> inq[0] = ByteBuffer.allocate(n)).isGood());
        assertEquals(0x7f, inq[0].get(0) & 0xff, "no logical unit at this LUN");
    }

    @Test
    void reportLunsListsLunZero() {
        byte[] d = data(run(0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0));
        assertEquals(16, d.length);
        assertEquals(8, ByteBuffer.wrap(d).getInt(), "one LUN");
        assertEquals(0, ByteBuffer.wrap(d).getLong(8), "LUN 0");
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0));
    }

    @Test
    void modeSenseCachingControlAndAllPages() {
        byte[] all6 = data(run(0x1a, 0, 0x3f, 0, 255, 0));
        assertEquals(all6.length - 1, all6[0] & 0xff, "mode data length");
        assertEquals(0, all6[2] & 0x80, "not write protected");
        assertEquals(8, all6[3], "one block descriptor");
        assertEquals(512, ByteBuffer.wrap(all6, 8, 4).getInt() & 0xffffff);
        assertEquals(0x08, all6[12] & 0x3f, "caching page first");
        assertEquals(0x04, all6[14] & 0x04, "WCE");
        byte[] caching = data(run(0x1a, 0x08, 0x08, 0, 255, 0)); // DBD
        assertEquals(4 + 20, caching.length);
        assertEquals(0x08, caching[4]);
        byte[] control10 = data(run(0x5a, 0, 0x0a, 0, 0, 0, 0, 0, 255, 0));
        assertEquals(8 + 8 + 12, control10.length);
        assertEquals(0x0a, control10[16]);
        assertEquals(0x40, control10[16 + 5] & 0x40, "TAS: tasks aborted by another I_T nexus end with TASK ABORTED");
        assertEquals(0x20, control10[16 + 2] & 0xe0, "TST 001b: a task set per I_T nexus (CLEAR TASK SET clears only the asker's)");
        byte[] changeable = data(run(0x5a, 0x08, 0x4a, 0, 0, 0, 0, 0, 255, 0)); // PC 01b, DBD
        assertEquals(0x0a, changeable[8]);
        assertEquals(0, changeable[8 + 5], "TAS is not changeable (MODE SELECT changes nothing)");
        assertEquals(0, changeable[8 + 2], "nor is TST");
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(0x1a, 0, 0x19, 0, 255, 0));
        assertSense(Sense.SAVING_PARAMETERS_NOT_SUPPORTED, run(0x1a, 0, 0xc8, 0, 255, 0));
    }

    @Test
    void readOnlyVolumeIsWriteProtected() throws Exception {
        try (RawFileBlockDevice ro = RawFileBlockDevice.open(file, true)) {
            LogicalUnit lu = new LogicalUnit(ro, UnitIdentity.forVolume("disk"));
            byte[] c = {0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0};
            assertSense(Sense.WRITE_PROTECTED, lu.execute(0, c, ByteBuffer.allocate(512), n -> ByteBuffer.allocate(n)));
            ByteBuffer[] ms = new ByteBuffer[1];
            lu.execute(0, new byte[] {0x1a, 0, 0x3f, 0, (byte) 255, 0}, null, n -> ms[0] = ByteBuffer.allocate(n));
            assertEquals(0x80, ms[0].get(2) & 0x80, "WP bit");
        }
    }

    @Test
    void synchronizeCacheVerifyWriteSameAndRequestSense() throws Exception {
        assertTrue(run(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0).isGood());
        assertTrue(run(0x91, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).isGood());
        assertSense(Sense.LBA_OUT_OF_RANGE, run(0x35, 0, 0, 0, 0x08, 0x01, 0, 0, 1, 0));
        byte[] pattern = new byte[512];
        Arrays.fill(pattern, (byte) 0x7e);
        assertTrue(run(pattern, 0x41, 0, 0, 0, 0, 100, 0, 0, 4, 0).isGood(), "WRITE SAME 10 over 4 blocks");
        byte[] disk = Files.readAllBytes(file);
        assertEquals(0x7e, disk[100 * 512]);
        assertEquals(0x7e, disk[104 * 512 - 1]);
        assertEquals(0, disk[104 * 512]);
        assertSense(Sense.INVALID_FIELD_IN_CDB, run(pattern, 0x41, 0x10, 0, 0, 0, 100, 0, 0, 4, 0)); // ANCHOR
        // UNMAP with a block that is not zeros writes it (ThinProvisioningTest: zeros discard)
        assertTrue(run(pattern, 0x41, 0x08, 0, 0, 0, 110, 0, 0, 2, 0).isGood(), "WRITE SAME 10, UNMAP, a pattern");
        assertEquals(0x7e, Files.readAllBytes(file)[112 * 512 - 1]);
        assertTrue(run(pattern, 0x2f, 0x02, 0, 0, 0, 100, 0, 0, 1, 0).isGood(), "VERIFY with BYTCHK matches");
        assertSense(Sense.MISCOMPARE_DURING_VERIFY, run(new byte[512], 0x2f, 0x02, 0, 0, 0, 100, 0, 0, 1, 0));
        byte[] sense = data(run(0x03, 0, 0, 0, 252, 0));
        assertEquals(0x70, sense[0] & 0xff);
        assertEquals(0, sense[2], "NO SENSE");
    }

    @Test
    void writeTakesOnlyTheWholeBlocksThatArrived() throws Exception {
        byte[] twoBlocks = new byte[1024];
        Arrays.fill(twoBlocks, (byte) 'a');
        assertTrue(run(twoBlocks, 0x2a, 0, 0, 0, 0, 0, 0, 0, 2, 0).isGood());
        byte[] one = new byte[512];
        Arrays.fill(one, (byte) 'b');
        assertTrue(run(one, 0x2a, 0, 0, 0, 0, 0, 0, 0, 2, 0).isGood(), "EDTL of one block for a two-block WRITE");
        byte[] disk = Files.readAllBytes(file);
        assertEquals('b', disk[0]);
        assertEquals('a', disk[512], "the second block is untouched");
        assertEquals(1024, LogicalUnit.dataOutLength(new byte[] {0x2a, 0, 0, 0, 0, 0, 0, 0, 2, 0}));
    }

    long lastLba10() {
        return java.nio.ByteBuffer.wrap(data(run(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0))).getInt(0) & 0xffffffffL;
    }

    long lastLba16() {
        return java.nio.ByteBuffer.wrap(data(run(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0))).getLong(0);
    }

    @Test
    void aCapacityChangeIsReportedOnceAsUnitAttentionThenTheNewSizeIsRead() throws Exception {
        assertEquals(BLOCKS - 1, lastLba16());
        device.resize(4L * BLOCKS * 512);
        unit.capacityChanged(device.sizeBytes());

        // SAM-5 5.14: INQUIRY and REPORT LUNS neither report nor clear the attention
        assertTrue(run(0x12, 0, 0, 0, 96, 0).isGood(), "INQUIRY");
        assertTrue(run(0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0).isGood(), "REPORT LUNS");
        ScsiResult ua = run(0x00, 0, 0, 0, 0, 0);
        assertSense(Sense.CAPACITY_DATA_HAS_CHANGED, ua);
        assertEquals(0x6, ua.sense()[2] & 0x0f, "sense key UNIT ATTENTION");
        assertEquals(0x2a, ua.sense()[12] & 0xff);
        assertEquals(0x09, ua.sense()[13] & 0xff);

        assertTrue(run(0x00, 0, 0, 0, 0, 0).isGood(), "reported once per nexus");
        assertEquals(4L * BLOCKS - 1, lastLba10());
        assertEquals(4L * BLOCKS - 1, lastLba16());
        byte[] tail = new byte[512];
        java.util.Arrays.fill(tail, (byte) 0x5a);
        long lba = 4L * BLOCKS - 1;
        assertTrue(run(tail, 0x2a, 0, (int) (lba >>> 24), (int) (lba >>> 16), (int) (lba >>> 8), (int) lba, 0, 0, 1, 0).isGood(),
                "the new last block takes writes");
        assertTrue(run(0x28, 0, (int) (lba >>> 24), (int) (lba >>> 16), (int) (lba >>> 8), (int) lba, 0, 0, 1, 0).isGood());
        assertArrayEquals(tail, Arrays.copyOf(dataIn.array(), 512));
    }

    @Test
    void theCommandThatMeetsTheAttentionIsNotRunAndRequestSenseReturnsIt() throws Exception {
        device.resize(2L * BLOCKS * 512);
        unit.capacityChanged(device.sizeBytes());
        assertSense(Sense.CAPACITY_DATA_HAS_CHANGED, run(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(null, dataIn, "READ CAPACITY did not run");

        unit.capacityChanged(device.sizeBytes());
        ScsiResult sense = run(0x03, 0, 0, 0, 18, 0);
        assertTrue(sense.isGood(), "REQUEST SENSE returns the attention as its data");
        assertEquals(Sense.CAPACITY_DATA_HAS_CHANGED, Sense.parse(data(sense)));
        assertTrue(run(0x00, 0, 0, 0, 0, 0).isGood(), "and clears it");
        assertEquals(Sense.NO_SENSE, Sense.parse(data(run(0x03, 0, 0, 0, 18, 0))).key());

        unit.capacityChanged(device.sizeBytes());
        byte[] desc = data(run(0x03, 1, 0, 0, 8, 0));
        assertEquals(0x72, desc[0] & 0xff, "descriptor format when DESC=1");
        assertEquals(new Sense(6, 0x2a, 0x09), new Sense(desc[1], desc[2] & 0xff, desc[3] & 0xff));
    }

    @Test
    void eachLogicalUnitHasItsOwnAttention() throws Exception {
        LogicalUnit other = new LogicalUnit(device, UnitIdentity.forVolume("disk"));
        device.resize(2L * BLOCKS * 512);
        unit.capacityChanged(device.sizeBytes());
        other.capacityChanged(device.sizeBytes());
        assertSense(Sense.CAPACITY_DATA_HAS_CHANGED, run(0x00, 0, 0, 0, 0, 0));
        ScsiResult r = other.execute(0, new byte[16], null, n -> java.nio.ByteBuffer.allocate(n));
        assertEquals(ScsiResult.CHECK_CONDITION, r.status(), "the other nexus still gets its own");
    }
}
