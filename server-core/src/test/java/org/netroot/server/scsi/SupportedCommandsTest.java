package org.netroot.server.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.RawFileBlockDevice;

/**
 * REPORT SUPPORTED OPERATION CODES on bytes, and that it tells the truth: every command it lists
 * runs (is no INVALID OPERATION CODE), and every opcode it does not list is refused as unknown.
 */
class SupportedCommandsTest {
    @TempDir Path dir;
    RawFileBlockDevice device;
    LogicalUnit unit;
    ByteBuffer dataIn;

    @BeforeEach
    void open() throws Exception {
        Path file = dir.resolve("disk.img");
        Files.write(file, new byte[1 << 20]);
        device = RawFileBlockDevice.open(file, false);
        unit = new LogicalUnit(device, UnitIdentity.forVolume("disk"));
    }

    @AfterEach
    void close() throws Exception {
        device.close();
    }

    ScsiResult run(byte[] cdb) {
        dataIn = null;
        return unit.execute(0, cdb, ByteBuffer.allocate(4096), n -> dataIn = ByteBuffer.allocate(n));
    }

    /** REPORT SUPPORTED OPERATION CODES: RCTD, reporting options, opcode, service action, 64 KiB. */
    byte[] rsoc(int rctdAndOptions, int opcode, int serviceAction) {
        byte[] cdb = {(byte) 0xa3, 0x0c, (byte) rctdAndOptions, (byte) opcode, (byte) (serviceAction >> 8),
                (byte) serviceAction, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0};
        ScsiResult r = run(cdb);
        if (!r.isGood()) return null;
        return Arrays.copyOf(dataIn.array(), r.dataLength());
    }

    @Test
    void everyListedCommandRunsAndNoOtherOpcodeDoes() {
        Set<Integer> listed = new HashSet<>();
        for (SupportedCommands.Command c : SupportedCommands.COMMANDS) {
            listed.add(c.opcode());
            byte[] cdb = Arrays.copyOf(c.usage(), 16);
            Arrays.fill(cdb, 1, 16, (byte) 0);
            cdb[0] = (byte) c.opcode();
            if (c.hasServiceAction()) cdb[1] = (byte) c.serviceAction();
            ScsiResult r = run(cdb);
            if (r.status() == ScsiResult.CHECK_CONDITION) {
                assertNotEquals(Sense.INVALID_OPCODE, Sense.parse(r.sense()), String.format("opcode %02x is listed", c.opcode()));
            }
            assertEquals(c.opcode(), c.usage()[0] & 0xff, "CDB USAGE DATA starts with the opcode");
            int length = c.usage().length;
            int group = c.opcode() >> 5;
            int expected = switch (group) {
                case 0 -> 6;
                case 1, 2 -> 10;
                case 4 -> 16;
                case 5 -> 12;
                default -> -1;
            };
            assertEquals(expected, length, String.format("CDB length of opcode %02x follows its group", c.opcode()));
        }
        for (int op = 0; op < 256; op++) {
            if (listed.contains(op)) continue;
            byte[] cdb = new byte[16];
            cdb[0] = (byte) op;
            ScsiResult r = run(cdb);
            assertEquals(Sense.INVALID_OPCODE, Sense.parse(r.sense()), String.format("opcode %02x is not listed", op));
        }
    }

    @Test
    void allCommandsWithAndWithoutTimeouts() {
        byte[] all = rsoc(0, 0, 0);
        ByteBuffer b = ByteBuffer.wrap(all);
        int n = SupportedCommands.COMMANDS.size();
        assertEquals(8 * n, b.getInt(0), "COMMAND DATA LENGTH");
        SupportedCommands.Command prin = SupportedCommands.COMMANDS.stream()
                .filter(c -> c.opcode() == 0x5e && c.serviceAction() == 3).findFirst().orElseThrow();
        int i = SupportedCommands.COMMANDS.indexOf(prin);
        assertArrayEquals(new byte[] {0x5e, 0, 0, 3, 0, 0x01, 0, 10}, Arrays.copyOfRange(all, 4 + 8 * i, 12 + 8 * i),
                "PERSISTENT RESERVE IN / READ FULL STATUS: SERVACTV, 10-byte CDB");
        assertEquals(0, all[4 + 5] & 0x03, "TEST UNIT READY: no service action, no timeouts");

        byte[] withTimeouts = rsoc(0x80, 0, 0);
        assertEquals(20 * n, ByteBuffer.wrap(withTimeouts).getInt(0));
        assertEquals(0x02, withTimeouts[4 + 5] & 0x02, "CTDP");
        assertEquals(0x0a, ByteBuffer.wrap(withTimeouts).getShort(12), "timeouts descriptor length");
        assertEquals(SupportedCommands.RECOMMENDED_TIMEOUT_SECONDS, ByteBuffer.wrap(withTimeouts).getInt(20));
    }

    @Test
    void oneCommandByOpcodeOrByServiceAction() {
        byte[] write10 = rsoc(0x01, 0x2a, 0);
        assertEquals(0x03, write10[1] & 0x07, "SUPPORT 011b: as the standard says");
        assertEquals(10, ByteBuffer.wrap(write10).getShort(2));
        assertEquals(0x2a, write10[4] & 0xff);
        assertEquals(0x18, write10[5] & 0x18, "DPO and FUA are honoured (libiscsi Write10.DpoFua)");
        assertArrayEquals(new byte[] {0, 0x01, 0, 0}, rsoc(0x01, 0xc5, 0), "an unknown opcode: SUPPORT 001b");

        byte[] caps = rsoc(0x82, 0x5e, 2);
        assertEquals(0x83, caps[1] & 0xff, "CTDP and SUPPORT 011b");
        assertEquals(0x5e, caps[4] & 0xff);
        assertEquals(4 + 10 + 12, caps.length, "usage data, then the timeouts descriptor");

        ScsiResult wrongOption = run(new byte[] {(byte) 0xa3, 0x0c, 0x01, 0x5e, 0, 0, 0, 0, 1, 0, 0, 0});
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(wrongOption.sense()), "by opcode alone, but it has service actions");
        assertEquals(0xc0, wrongOption.sense()[15] & 0xff, "SKSV, in the CDB: the field is wrong, the command exists");
        assertEquals(2, ByteBuffer.wrap(wrongOption.sense()).getShort(16), "byte 2: REPORTING OPTIONS");
        assertEquals(null, rsoc(0x02, 0x2a, 0), "by service action, but WRITE(10) has none");
        assertEquals(null, rsoc(0x07, 0, 0), "a reporting option we lack");
        assertEquals(Sense.INVALID_FIELD_IN_CDB, Sense.parse(run(new byte[] {(byte) 0xa3, 0x0d, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}).sense()),
                "MAINTENANCE IN's other service actions");
        assertTrue(rsoc(0x02, 0x9e, 0x12)[4] == (byte) 0x9e, "GET LBA STATUS by service action");
    }
}
