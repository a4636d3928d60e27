package org.netroot.server.iscsi;

/**
 * Which PDUs may be handled on the network thread that read them. Handing a command to another
 * thread and its response back costs two thread wake-ups: at one command in flight that is most of
 * the time a 512-byte read takes from the page cache. Reads and writes that end in the page cache
 * are quick enough to run where they arrive; anything that may wait on a disk flush (SYNCHRONIZE
 * CACHE, FUA), on the database (login, discovery) or on a long range (UNMAP, WRITE SAME, copies)
 * goes to the connection's command thread, so it never stalls the other connections of its
 * network thread. A quick command that turns out slow (a page-cache miss on a spinning disk, a
 * qcow2 write that grows a table and flushes: rare) is the caller's to notice: see {@link #SLOW_NANOS}.
 */
final class PduPlacement {
    /** Larger transfers go to the command thread: copying them is long enough to make a hand-off cheap. */
    static final int MAX_QUICK_TRANSFER = 256 << 10;
    /** A quick PDU that took longer than this (a disk read, not the page cache) ... */
    static final long SLOW_NANOS = 2_000_000;
    /** ... sends its connection's PDUs to the command thread for this long. */
    static final long BACK_OFF_NANOS = 1_000_000_000;

    private static final int FUA = 0x08;
    /** The logical block size the target reports (scsi.LogicalUnit). */
    private static final long BLOCK = 512;

    private PduPlacement() {
    }

    /** True when {@code h} may run on the network thread: page-cache reads and writes, their data, NOP-Out. */
    static boolean quick(Bhs h) {
        return switch (h.opcode()) {
            case Bhs.NOP_OUT -> true;
            // the last Data-Out runs its write, which may be anything (FUA, 16 MiB, WRITE SAME): where the
            // command ran. Small writes carry their data in the command (ImmediateData) and stay quick.
            case Bhs.DATA_OUT -> false;
            case Bhs.SCSI_COMMAND -> quickCommand(h);
            // login, text, logout, task management, SNACK: rare, and may touch the database; a reset waits
            // for every running command of its volume (IscsiConnection.taskManagement)
            default -> false;
        };
    }

    /** The TRANSFER LENGTH field of a READ or WRITE CDB (bytes 32.. of the BHS), in blocks; 0 for other commands. */
    static long cdbBlocks(byte[] bhs) {
        return switch (bhs[32] & 0xff) {
            case 0x08, 0x0a -> { int n = bhs[36] & 0xff; yield n == 0 ? 256 : n; } // (6): 0 means 256
            case 0x28, 0x2a -> u(bhs, 39, 2);                                      // (10): bytes 7-8
            case 0xa8, 0xaa -> u(bhs, 38, 4);                                      // (12): bytes 6-9
            case 0x88, 0x8a -> u(bhs, 42, 4);                                      // (16): bytes 10-13
            default -> 0;
        };
    }

    private static long u(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | (b[at + i] & 0xff);
        return v;
    }

    /** The Expected Data Transfer Length of a SCSI Command PDU (what a READ sends back); 0 for other PDUs. */
    static long transferLength(Bhs h) {
        return h.opcode() == Bhs.SCSI_COMMAND ? h.int32(20) & 0xffff_ffffL : 0;
    }

    private static boolean quickCommand(Bhs h) {
        byte[] bhs = h.bytes();
        // the CDB says how much the command moves; the announced length is the initiator's word only
        if (Math.max(transferLength(h), cdbBlocks(bhs) * BLOCK) > MAX_QUICK_TRANSFER) return false;
        int operation = bhs[32] & 0xff;
        return switch (operation) {
            case 0x08, 0x28, 0xa8, 0x88 -> true;                   // READ (6), (10), (12), (16)
            case 0x0a -> true;                                      // WRITE (6): has no FUA bit
            case 0x2a, 0xaa, 0x8a -> (bhs[33] & FUA) == 0;          // WRITE (10), (12), (16): FUA waits for the disk
            default -> false;
        };
    }
}
