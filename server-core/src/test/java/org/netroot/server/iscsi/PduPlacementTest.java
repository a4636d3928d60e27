package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PduPlacementTest {

    /** A SCSI Command PDU: CDB operation code, byte 1 of the CDB, expected data transfer length. */
    private static Bhs command(int operation, int cdbByte1, int expectedLength) {
        Bhs h = Bhs.of(Bhs.SCSI_COMMAND).int32(20, expectedLength);
        h.bytes()[32] = (byte) operation;
        h.bytes()[33] = (byte) cdbByte1;
        return h;
    }

    @ParameterizedTest(name = "{3}")
    @CsvSource({
            "0x28, 0x00, 512, true, READ (10) of one block",
            "0x88, 0x00, 262144, true, READ (16) of 256 KiB",
            "0x88, 0x00, 262145, false, READ (16) over 256 KiB: the copy is long enough to hand off",
            "0x08, 0x00, 4096, true, READ (6)",
            "0xa8, 0x08, 4096, true, READ (12) with FUA: the page cache answers it as well",
            "0x2a, 0x00, 4096, true, WRITE (10) into the page cache",
            "0x2a, 0x08, 4096, false, WRITE (10) with FUA waits for the disk",
            "0x8a, 0x08, 4096, false, WRITE (16) with FUA waits for the disk",
            "0xaa, 0x00, 4096, true, WRITE (12) into the page cache",
            "0x0a, 0x08, 4096, true, WRITE (6): byte 1 holds LBA bits there, not FUA",
            "0x35, 0x00, 0, false, SYNCHRONIZE CACHE (10) waits for the disk",
            "0x91, 0x00, 0, false, SYNCHRONIZE CACHE (16) waits for the disk",
            "0x42, 0x00, 24, false, UNMAP may free a long range",
            "0x93, 0x08, 512, false, WRITE SAME (16) may write a long range",
            "0x89, 0x00, 1024, false, COMPARE AND WRITE",
            "0x12, 0x00, 96, false, INQUIRY: rare, no reason to keep it",
    })
    void commandsThatEndInThePageCacheStayOnTheNetworkThread(String operation, String byte1, int length, boolean quick,
                                                              String what) {
        assertEquals(quick, PduPlacement.quick(command(Integer.decode(operation), Integer.decode(byte1), length)), what);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource({
            "0x88, 32768, READ (16) of 16 MiB announcing 512 bytes: the CDB decides",
            "0x28, 4096, READ (10) of 2 MiB announcing 512 bytes",
            "0xaa, 4096, WRITE (12) of 2 MiB announcing 512 bytes",
    })
    void theCdbsTransferLengthCountsNotOnlyTheAnnouncedOne(String operation, int blocks, String what) {
        Bhs h = command(Integer.decode(operation), 0, 512);
        byte[] b = h.bytes();
        switch (b[32] & 0xff) {
            case 0x28 -> { b[39] = (byte) (blocks >>> 8); b[40] = (byte) blocks; }
            case 0xaa -> { b[38] = (byte) (blocks >>> 24); b[39] = (byte) (blocks >>> 16); b[40] = (byte) (blocks >>> 8); b[41] = (byte) blocks; }
            default -> { b[42] = (byte) (blocks >>> 24); b[43] = (byte) (blocks >>> 16); b[44] = (byte) (blocks >>> 8); b[45] = (byte) blocks; }
        }
        assertEquals(blocks, PduPlacement.cdbBlocks(b), "the transfer length read from the CDB");
        assertEquals(false, PduPlacement.quick(h), what);
    }

    @ParameterizedTest(name = "opcode {0}")
    @CsvSource({"0x00, true", "0x05, false", "0x02, false", "0x03, false", "0x04, false", "0x06, false", "0x10, false"})
    void otherPdus(String opcode, boolean quick) {
        assertEquals(quick, PduPlacement.quick(Bhs.of(Integer.decode(opcode))),
                "NOP-Out stays; Data-Out (its write may carry FUA or 16 MiB), login, text, logout, task management and SNACK go to the command thread");
    }
}
