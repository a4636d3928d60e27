package org.netroot.server.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.ForwardingBlockDevice;
import org.netroot.server.storage.RawFileBlockDevice;

/**
 * The SBC commands beyond read and write, on bytes over a raw file: COMPARE AND WRITE (atomic
 * across sessions), ORWRITE, VERIFY(12), PRE-FETCH, READ DEFECT DATA, WRITE SAME's block count 0
 * and Data-Out size, FUA, and what READ CAPACITY(16) and the Block Limits page say about them.
 */
class AtomicAndMoreBlockCommandsTest {
    static final int BLOCKS = 2048;

    @TempDir Path dir;
    Path file;
    FlushCounting device;
    LogicalUnit unit;
    ByteBuffer dataIn;

    /** A raw device that counts flushes: FUA must reach the disk before GOOD. */
    static final class FlushCounting extends ForwardingBlockDevice {
        final AtomicInteger flushes = new AtomicInteger();

        FlushCounting(RawFileBlockDevice raw) {
            super(raw);
        }

        @Override
        public void flush() throws IOException {
            flushes.incrementAndGet();
            super.flush();
        }
    }

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("disk.img");
        Files.write(file, new byte[BLOCKS * 512]);
        device = new FlushCounting(RawFileBlockDevice.open(file, false));
        unit = new LogicalUnit(device, UnitIdentity.forVolume("disk"));
    }

    @AfterEach
    void close() throws Exception {
        device.close();
    }

    ScsiResult run(LogicalUnit lu, byte[] dataOut, int... cdb) {
        byte[] c = new byte[16];
        for (int i = 0; i < cdb.length; i++) c[i] = (byte) cdb[i];
        dataIn = null;
        return lu.execute(0, Arrays.copyOf(c, Math.max(cdb.length, 6)), dataOut == null ? null : ByteBuffer.wrap(dataOut),
                n -> dataIn = ByteBuffer.allocate(n));
    }

    ScsiResult run(byte[] dataOut, int... cdb) {
        return run(unit, dataOut, cdb);
    }

    ScsiResult run(int... cdb) {
        return run(unit, null, cdb);
    }

    byte[] data(ScsiResult r) {
        assertTrue(r.isGood(), "status " + r.status());
        return Arrays.copyOf(dataIn.array(), r.dataLength());
    }

    static byte[] filled(int bytes, int value) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] concat(byte[] x, byte[] y) {
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    /** COMPARE AND WRITE of {@code blocks} at {@code lba}: {@code flags} in byte 1 (FUA 0x08). */
    ScsiResult compareAndWrite(LogicalUnit lu, long lba, int blocks, byte[] dataOut, int flags) {
        return run(lu, dataOut, 0x89, flags, 0, 0, 0, 0, (int) (lba >>> 24), (int) (lba >>> 16), (int) (lba >>> 8), (int) lba,
                0, 0, 0, blocks, 0, 0);
    }

    byte[] disk(long lba, int blocks) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), (int) lba * 512, (int) (lba + blocks) * 512);
    }

    @Test
    void compareAndWriteWritesOnlyWhenTheBlocksMatchAndSaysWhereTheyDiffer() throws Exception {
        assertTrue(run(filled(1024, 'A'), 0x2a, 0, 0, 0, 0, 10, 0, 0, 2, 0).isGood());
        assertTrue(compareAndWrite(unit, 10, 2, concat(filled(1024, 'A'), filled(1024, 'B')), 0).isGood());
        assertArrayEquals(filled(1024, 'B'), disk(10, 2), "matched: written");

        byte[] expected = filled(1024, 'B');
        expected[700] = 'C';
        ScsiResult miscompare = compareAndWrite(unit, 10, 2, concat(expected, filled(1024, 'D')), 0);
        assertEquals(ScsiResult.CHECK_CONDITION, miscompare.status());
        assertEquals(Sense.MISCOMPARE_DURING_VERIFY, Sense.parse(miscompare.sense()));
        assertEquals(0xf0, miscompare.sense()[0] & 0xff, "VALID: the INFORMATION field holds the offset");
        assertEquals(700, ByteBuffer.wrap(miscompare.sense()).getInt(3), "the first byte that differed");
        assertArrayEquals(filled(1024, 'B'), disk(10, 2), "a miscompare writes nothing");

        int before = device.flushes.get();
        assertTrue(compareAndWrite(unit, 10, 1, concat(filled(512, 'B'), filled(512, 'F')), 0x08).isGood());
        assertEquals(before + 1, device.flushes.get(), "FUA: flushed before GOOD");
        assertTrue(compareAndWrite(unit, 5, 0, new byte[0], 0).isGood(), "no blocks: nothing to do");
    }

    @Test
    void compareAndWriteRefusesWhatItCannotDoSafely() throws Exception {
        byte[] two = concat(filled(512, 0), filled(512, 1));
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(compareAndWrite(unit, 0, 1, filled(1536, 0), 0).sense()),
                "Data-Out must be twice the blocks (libiscsi InvalidDataOutSize)");
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(compareAndWrite(unit, 0, 0, filled(512 * 512, 0), 0).sense()),
                "256 blocks do not fit the one-byte count: it reads 0, and 256 KiB of Data-Out does not match");
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(compareAndWrite(unit, 0, 1, two, 0x20).sense()), "WRPROTECT");
        assertEquals(Sense.LBA_OUT_OF_RANGE, Sense.parse(compareAndWrite(unit, BLOCKS, 1, two, 0).sense()));
        try (RawFileBlockDevice ro = RawFileBlockDevice.open(file, true)) {
            LogicalUnit readOnly = new LogicalUnit(ro, UnitIdentity.forVolume("disk"));
            assertEquals(Sense.WRITE_PROTECTED, Sense.parse(compareAndWrite(readOnly, 0, 1, two, 0).sense()));
        }
        byte[] limits = data(run(0x12, 1, 0xb0, 0, 255, 0));
        assertEquals(LogicalUnit.MAX_COMPARE_AND_WRITE_BLOCKS, limits[5] & 0xff, "MAXIMUM COMPARE AND WRITE LENGTH");
    }

    /**
     * Two sessions of a shared volume each add one to a counter in block 0 with COMPARE AND WRITE
     * (read, then compare the old value and write the new), retrying on miscompare. Were the
     * compare and the write not atomic across sessions, two would read the same value and one
     * increment would be lost (libiscsi's MultipathIO.CompareAndWriteAsync races the same way).
     */
    @Test
    void compareAndWriteIsAtomicAcrossSessionsOfOneVolume() throws Exception {
        SharedUnit shared = new SharedUnit();
        LogicalUnit[] sessions = {
                new LogicalUnit(device, UnitIdentity.forVolume("disk"), shared, new InitiatorPort("iqn.x:node1", 1)),
                new LogicalUnit(device, UnitIdentity.forVolume("disk"), shared, new InitiatorPort("iqn.x:node2", 1))};
        int each = 300;
        AtomicInteger miscompares = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] done = new Future<?>[2];
            for (int s = 0; s < 2; s++) {
                LogicalUnit lu = sessions[s];
                done[s] = pool.submit(() -> {
                    byte[] cdbRead = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
                    for (int i = 0; i < each; ) {
                        ByteBuffer[] in = new ByteBuffer[1];
                        assertTrue(lu.execute(0, cdbRead, null, n -> in[0] = ByteBuffer.allocate(n)).isGood());
                        int value = in[0].getInt(0);
                        byte[] out = new byte[1024];
                        ByteBuffer.wrap(out).putInt(0, value).putInt(512, value + 1);
                        byte[] cdb = new byte[16];
                        cdb[0] = (byte) 0x89;
                        cdb[13] = 1;
                        ScsiResult r = lu.execute(0, cdb, ByteBuffer.wrap(out), n -> ByteBuffer.allocate(n));
                        if (r.isGood()) {
                            i++;
                        } else {
                            assertEquals(Sense.MISCOMPARE_DURING_VERIFY, Sense.parse(r.sense()));
                            miscompares.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2 * each, ByteBuffer.wrap(disk(0, 1)).getInt(0), "no increment lost (" + miscompares + " retries)");
    }

    @Test
    void orWriteOrsTheDataIntoTheBlocks() throws Exception {
        assertTrue(run(filled(1024, 0x0f), 0x2a, 0, 0, 0, 0, 20, 0, 0, 2, 0).isGood());
        assertTrue(run(filled(1024, 0xa0), 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0).isGood());
        assertArrayEquals(filled(1024, 0xaf), disk(20, 2));
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(run(filled(512, 1), 0x8b, 0x20, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0).sense()),
                "ORPROTECT");
        assertEquals(Sense.LBA_OUT_OF_RANGE, Sense.parse(run(filled(1024, 1), 0x8b, 0, 0, 0, 0, 0, 0, 0, 0x07, 0xff, 0, 0, 0, 2, 0, 0).sense()));
        assertTrue(run(null, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0).isGood(), "0 blocks");
        assertEquals(BLOCKS, LogicalUnit.dataOutLength(new byte[] {(byte) 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0}) / 512);
    }

    @Test
    void verify12PrefetchAndReadDefectData() throws Exception {
        assertTrue(run(filled(512, 0x44), 0x2a, 0, 0, 0, 0, 30, 0, 0, 1, 0).isGood());
        assertTrue(run(filled(512, 0x44), 0xaf, 0x02, 0, 0, 0, 30, 0, 0, 0, 1, 0, 0).isGood(), "VERIFY(12), BYTCHK, matches");
        assertEquals(Sense.MISCOMPARE_DURING_VERIFY, Sense.parse(run(filled(512, 0x45), 0xaf, 0x02, 0, 0, 0, 30, 0, 0, 0, 1, 0, 0).sense()));
        assertEquals(Sense.LBA_OUT_OF_RANGE, Sense.parse(run(null, 0xaf, 0, 0, 0, 0x08, 0, 0, 0, 0, 1, 0, 0).sense()));

        assertTrue(run(null, 0x34, 0, 0, 0, 0x07, 0xff, 0, 0, 1, 0).isGood(), "PRE-FETCH(10) of the last block");
        assertTrue(run(null, 0x34, 0x02, 0, 0, 0, 0, 0, 0, 0, 0).isGood(), "IMMED, 0 blocks");
        assertEquals(Sense.LBA_OUT_OF_RANGE, Sense.parse(run(null, 0x34, 0, 0, 0, 0x07, 0xff, 0, 0, 2, 0).sense()));
        assertEquals(Sense.LBA_OUT_OF_RANGE, Sense.parse(run(null, 0x90, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0, 0, 0, 1, 0, 0).sense()), "PRE-FETCH(16) at LBA 2^64-1");
        assertTrue(run(null, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0).isGood(), "PRE-FETCH(16) of every block");

        byte[] d10 = data(run(null, 0x37, 0, 0x1d, 0, 0, 0, 0, 0, 32, 0));
        assertArrayEquals(new byte[] {0, 0x1d, 0, 0}, d10, "PLIST and GLIST valid, format 5, no defects");
        byte[] d12 = data(run(null, 0xb7, 0x0c, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
        assertArrayEquals(new byte[] {0, 0x0c, 0, 0, 0, 0, 0, 0}, d12);
    }

    @Test
    void writeSameWithNoBlockCountRunsToTheEndAndTakesExactlyOneBlock() throws Exception {
        byte[] limits = data(run(0x12, 1, 0xb0, 0, 255, 0));
        assertEquals(0, limits[4] & 0x01, "WSNZ 0: a block count of 0 means to the last block");
        assertTrue(run(filled(512, 0x3c), 0x41, 0, 0, 0, 0x07, 0xf0, 0, 0, 0, 0).isGood(), "WRITE SAME(10) from LBA 2032, count 0");
        assertArrayEquals(filled(16 * 512, 0x3c), disk(BLOCKS - 16, 16));
        assertEquals(0, disk(BLOCKS - 17, 1)[511], "nothing before the LBA");
        assertEquals(Sense.LBA_OUT_OF_RANGE, Sense.parse(run(filled(512, 1), 0x41, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0).sense()));
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(run(filled(256, 1), 0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0).sense()),
                "half a block of Data-Out");
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(run(filled(1024, 1), 0x41, 0x08, 0, 0, 0, 0, 0, 0, 1, 0).sense()),
                "two blocks of Data-Out");
        assertEquals(512, LogicalUnit.dataOutLength(new byte[] {0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0}));
        assertEquals(0, LogicalUnit.dataOutLength(new byte[] {(byte) 0x93, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}),
                "NDOB: no Data-Out");
    }

    @Test
    void fuaFlushesAndFourKibPhysicalBlocksAreReported() throws Exception {
        int before = device.flushes.get();
        assertTrue(run(filled(512, 1), 0x2a, 0, 0, 0, 0, 1, 0, 0, 1, 0).isGood());
        assertEquals(before, device.flushes.get(), "no FUA: the write may sit in the cache (WCE=1)");
        assertTrue(run(filled(512, 1), 0x2a, 0x08, 0, 0, 0, 1, 0, 0, 1, 0).isGood());
        assertEquals(before + 1, device.flushes.get(), "WRITE(10) FUA");
        assertTrue(run(filled(512, 1), 0x8a, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0).isGood());
        assertEquals(before + 2, device.flushes.get(), "WRITE(16) FUA");
        assertTrue(run(filled(512, 1), 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0).isGood());
        assertEquals(before + 3, device.flushes.get(), "ORWRITE FUA");
        byte[] modeSense = data(run(0x1a, 0, 0x3f, 0, 255, 0));
        assertEquals(0x10, modeSense[2] & 0x10, "DPOFUA in MODE SENSE: initiators may send FUA");

        byte[] rc16 = data(run(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
        assertEquals(3, rc16[13] & 0x0f, "2^3 logical blocks per physical block: 4 KiB");
        assertEquals(0, rc16[14] & 0x3f, "lowest aligned LBA 0");
        assertEquals(8, ByteBuffer.wrap(data(run(0x12, 1, 0xb0, 0, 255, 0))).getShort(6), "optimal granularity: one physical block");
    }
}
