package org.netroot.server.scsi;

import static org.netroot.server.scsi.Bytes.put16;
import static org.netroot.server.scsi.Bytes.put32;
import static org.netroot.server.scsi.Bytes.u16;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 §6.35): the commands {@link LogicalUnit} runs, each
 * with its CDB usage data (a 1 for every CDB bit the unit looks at). Initiators read it to learn
 * what to send: Linux checks WRITE SAME and UNMAP here, libiscsi whether DPO and FUA are honoured.
 * A command added to {@link LogicalUnit#execute} belongs in {@link #COMMANDS} too
 * (SupportedCommandsTest runs every one of them).
 */
final class SupportedCommands {
    /** One command: its opcode, its service action (-1 when the opcode has none) and CDB usage data. */
    record Command(int opcode, int serviceAction, byte[] usage) {
        /** A command whose opcode has service actions: {@code usage[1]} masks the service action field. */
        static Command sa(int serviceAction, int... usage) {
            byte[] u = new byte[usage.length];
            for (int i = 0; i < usage.length; i++) u[i] = (byte) usage[i];
            return new Command(usage[0], serviceAction, u);
        }

        static Command of(int... usage) {
            Command c = sa(0, usage);
            return new Command(c.opcode(), -1, c.usage());
        }

        boolean hasServiceAction() {
            return serviceAction >= 0;
        }
    }

    private static final int FF = 0xff;

    /**
     * Byte 1 of the READ/WRITE/VERIFY family: the protect field (checked: only 0 is accepted, no
     * protection information), DPO and FUA (FUA writes are durable before GOOD: DPOFUA=1 in MODE
     * SENSE). WRITE AND VERIFY and VERIFY have BYTCHK where reads have FUA.
     */
    private static final int RW = 0xf8;
    private static final int VERIFY = 0xf6;

    static final List<Command> COMMANDS = List.of(
            Command.of(0x00, 0, 0, 0, 0, 0),                                        // TEST UNIT READY
            Command.of(0x03, 0x01, 0, 0, FF, 0),                                    // REQUEST SENSE
            Command.of(0x08, 0x1f, FF, FF, FF, 0),                                  // READ(6)
            Command.of(0x0a, 0x1f, FF, FF, FF, 0),                                  // WRITE(6)
            Command.of(0x12, 0x01, FF, FF, FF, 0),                                  // INQUIRY
            Command.of(0x15, 0x11, 0, 0, FF, 0),                                    // MODE SELECT(6)
            Command.of(0x16, 0, 0, 0, 0, 0),                                        // RESERVE(6)
            Command.of(0x17, 0, 0, 0, 0, 0),                                        // RELEASE(6)
            Command.of(0x1a, 0x08, FF, FF, FF, 0),                                  // MODE SENSE(6)
            Command.of(0x1b, 0, 0, 0, 0, 0),                                        // START STOP UNIT
            Command.of(0x1e, 0, 0, 0, 0, 0),                                        // PREVENT ALLOW MEDIUM REMOVAL
            Command.of(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0),                            // READ CAPACITY(10)
            Command.of(0x28, RW, FF, FF, FF, FF, 0, FF, FF, 0),                     // READ(10)
            Command.of(0x2a, RW, FF, FF, FF, FF, 0, FF, FF, 0),                     // WRITE(10)
            Command.of(0x2e, VERIFY, FF, FF, FF, FF, 0, FF, FF, 0),                 // WRITE AND VERIFY(10)
            Command.of(0x2f, VERIFY, FF, FF, FF, FF, 0, FF, FF, 0),                 // VERIFY(10)
            Command.of(0x34, 0x02, FF, FF, FF, FF, 0, FF, FF, 0),                   // PRE-FETCH(10)
            Command.of(0x35, 0x02, FF, FF, FF, FF, 0, FF, FF, 0),                   // SYNCHRONIZE CACHE(10)
            Command.of(0x37, 0, 0x1f, 0, 0, 0, 0, FF, FF, 0),                       // READ DEFECT DATA(10)
            Command.of(0x41, 0xf8, FF, FF, FF, FF, 0, FF, FF, 0),                   // WRITE SAME(10)
            Command.of(0x42, 0, 0, 0, 0, 0, 0, FF, FF, 0),                          // UNMAP
            Command.of(0x55, 0x11, 0, 0, 0, 0, 0, FF, FF, 0),                       // MODE SELECT(10)
            Command.of(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0),                            // RESERVE(10)
            Command.of(0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0),                            // RELEASE(10)
            Command.of(0x5a, 0x18, FF, FF, 0, 0, 0, FF, FF, 0),                     // MODE SENSE(10)
            Command.sa(0x00, 0x5e, 0x1f, 0, 0, 0, 0, 0, FF, FF, 0),                 // PERSISTENT RESERVE IN: READ KEYS
            Command.sa(0x01, 0x5e, 0x1f, 0, 0, 0, 0, 0, FF, FF, 0),                 //   READ RESERVATION
            Command.sa(0x02, 0x5e, 0x1f, 0, 0, 0, 0, 0, FF, FF, 0),                 //   REPORT CAPABILITIES
            Command.sa(0x03, 0x5e, 0x1f, 0, 0, 0, 0, 0, FF, FF, 0),                 //   READ FULL STATUS
            Command.sa(0x00, 0x5f, 0x1f, 0, 0, 0, FF, FF, FF, FF, 0),               // PERSISTENT RESERVE OUT: REGISTER
            Command.sa(0x01, 0x5f, 0x1f, FF, 0, 0, FF, FF, FF, FF, 0),              //   RESERVE
            Command.sa(0x02, 0x5f, 0x1f, FF, 0, 0, FF, FF, FF, FF, 0),              //   RELEASE
            Command.sa(0x03, 0x5f, 0x1f, 0, 0, 0, FF, FF, FF, FF, 0),               //   CLEAR
            Command.sa(0x04, 0x5f, 0x1f, FF, 0, 0, FF, FF, FF, FF, 0),              //   PREEMPT
            Command.sa(0x05, 0x5f, 0x1f, FF, 0, 0, FF, FF, FF, FF, 0),              //   PREEMPT AND ABORT
            Command.sa(0x06, 0x5f, 0x1f, 0, 0, 0, FF, FF, FF, FF, 0),               //   REGISTER AND IGNORE EXISTING KEY
            Command.of(0x88, RW, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),   // READ(16)
            Command.of(0x89, RW, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0, 0, FF, 0, 0),      // COMPARE AND WRITE
            Command.of(0x8a, RW, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),   // WRITE(16)
            Command.of(0x8b, RW, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),   // ORWRITE(16)
            Command.of(0x8e, VERIFY, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0), // WRITE AND VERIFY(16)
            Command.of(0x8f, VERIFY, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0), // VERIFY(16)
            Command.of(0x90, 0x02, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),   // PRE-FETCH(16)
            Command.of(0x91, 0x02, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),   // SYNCHRONIZE CACHE(16)
            Command.of(0x93, 0xf9, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),   // WRITE SAME(16)
            Command.sa(0x10, 0x9e, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, FF, FF, FF, FF, 0, 0),   // READ CAPACITY(16)
            Command.sa(0x12, 0x9e, 0x1f, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0), // GET LBA STATUS
            Command.of(0xa0, 0, FF, 0, 0, 0, FF, FF, FF, FF, 0, 0),                 // REPORT LUNS
            Command.sa(0x0c, 0xa3, 0x1f, 0x87, FF, FF, FF, FF, FF, FF, FF, 0, 0),   // REPORT SUPPORTED OPERATION CODES
            Command.of(0xa8, RW, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),             // READ(12)
            Command.of(0xaa, RW, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),             // WRITE(12)
            Command.of(0xae, VERIFY, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),         // WRITE AND VERIFY(12)
            Command.of(0xaf, VERIFY, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),         // VERIFY(12)
            Command.of(0xb7, 0x1f, 0, 0, 0, 0, FF, FF, FF, FF, 0, 0));              // READ DEFECT DATA(12)

    /**
     * No limit is known for any command: the timeouts descriptor (RCTD=1) says "not specified"
     * for the nominal time and suggests 30 s, what Linux and Windows wait anyway.
     */
    static final int RECOMMENDED_TIMEOUT_SECONDS = 30;

    private SupportedCommands() {
    }

    /**
     * The answer to a REPORT SUPPORTED OPERATION CODES CDB, or null when the CDB asks for
     * something no answer exists for (INVALID FIELD IN CDB): a reporting option we lack, one
     * command by opcode alone when it has service actions, or by service action when it has none.
     */
    static byte[] report(byte[] cdb) {
        boolean timeouts = (cdb[2] & 0x80) != 0;
        int options = cdb[2] & 0x07;
        int opcode = cdb[3] & 0xff;
        int serviceAction = u16(cdb, 4);
        return switch (options) {
            case 0 -> all(timeouts);
            case 1 -> {
                if (COMMANDS.stream().anyMatch(c -> c.opcode() == opcode && c.hasServiceAction())) yield null;
                yield one(COMMANDS.stream().filter(c -> c.opcode() == opcode).findFirst().orElse(null), timeouts);
            }
            case 2 -> {
                boolean known = COMMANDS.stream().anyMatch(c -> c.opcode() == opcode);
                if (known && COMMANDS.stream().noneMatch(c -> c.opcode() == opcode && c.hasServiceAction())) yield null;
                yield one(COMMANDS.stream().filter(c -> c.opcode() == opcode && c.serviceAction() == serviceAction)
                        .findFirst().orElse(null), timeouts);
            }
            default -> null;
        };
    }

    /** All commands: 8-byte descriptors (with a 12-byte timeouts descriptor each when asked). */
    private static byte[] all(boolean timeouts) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (Command c : COMMANDS) {
            byte[] d = new byte[8];
            d[0] = (byte) c.opcode();
            if (c.hasServiceAction()) put16(d, 2, c.serviceAction());
            d[5] = (byte) ((timeouts ? 0x02 : 0) | (c.hasServiceAction() ? 0x01 : 0)); // CTDP, SERVACTV
            put16(d, 6, c.usage().length);
            list.writeBytes(d);
            if (timeouts) list.writeBytes(timeoutsDescriptor());
        }
        byte[] body = list.toByteArray();
        byte[] out = new byte[4 + body.length];
        put32(out, 0, body.length);
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    /** One command: SUPPORT 011b with its usage data, or 001b (not supported) for an unknown one. */
    private static byte[] one(Command c, boolean timeouts) {
        if (c == null) {
            byte[] d = new byte[4];
            d[1] = 0x01;
            return d;
        }
        byte[] to = timeouts ? timeoutsDescriptor() : new byte[0];
        byte[] d = new byte[4 + c.usage().length + to.length];
        d[1] = (byte) ((timeouts ? 0x80 : 0) | 0x03);
        put16(d, 2, c.usage().length);
        System.arraycopy(c.usage(), 0, d, 4, c.usage().length);
        System.arraycopy(to, 0, d, 4 + c.usage().length, to.length);
        return d;
    }

    private static byte[] timeoutsDescriptor() {
        byte[] t = new byte[12];
        put16(t, 0, 0x0a);
        put32(t, 8, RECOMMENDED_TIMEOUT_SECONDS);
        return t;
    }
}
