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
            "0x88, 0x00, 1048576, true, READ (16) of 1 MiB",
            "0x88, 0x00, 1048577, false, READ (16) over 1 MiB: the copy is long enough to hand off",
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

    @ParameterizedTest(name = "opcode {0}")
    @CsvSource({"0x00, true", "0x05, true", "0x02, false", "0x03, false", "0x04, false", "0x06, false", "0x10, false"})
    void otherPdus(String opcode, boolean quick) {
        assertEquals(quick, PduPlacement.quick(Bhs.of(Integer.decode(opcode))),
                "NOP-Out and Data-Out stay; login, text, logout, task management and SNACK go to the command thread");
    }
}
