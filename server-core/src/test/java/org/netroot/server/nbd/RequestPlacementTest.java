package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPlacementTest {

    @ParameterizedTest(name = "{4}")
    @CsvSource({
            "0, 0, 4096, true, READ of 4 KiB",
            "0, 0, 262144, true, READ of 256 KiB",
            "0, 0, 262145, false, READ over 256 KiB: long enough to hand off",
            "1, 0, 4096, true, WRITE into the page cache",
            "1, 1, 4096, false, WRITE with FUA waits for the disk",
            "3, 0, 0, false, FLUSH waits for the disk",
            "4, 0, 4096, false, TRIM may free a long range",
            "6, 0, 4096, false, WRITE_ZEROES may write a long range",
    })
    void pageCacheReadsAndWritesStayOnTheNetworkThread(int type, int flags, long length, boolean quick, String what) {
        assertEquals(quick, RequestPlacement.quick(new Request(flags, type, 7, 0, length)), what);
    }
}
