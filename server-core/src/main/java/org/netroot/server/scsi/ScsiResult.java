package org.netroot.server.scsi;

/**
 * The outcome of one command: SAM status, sense data when the status is CHECK CONDITION, and how
 * many bytes the command placed in its {@link DataIn} buffer.
 */
public record ScsiResult(int status, byte[] sense, int dataLength) {
    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    /** SAM-5: another I_T nexus holds a reservation that keeps this command out; no sense data. */
    public static final int RESERVATION_CONFLICT = 0x18;
    /**
     * SAM-5 §5.6: the task was aborted by another I_T nexus's action (a reset, PREEMPT AND ABORT) and the
     * Control mode page's TAS bit is one; no sense data.
     */
    public static final int TASK_ABORTED = 0x40;

    public static ScsiResult good(int dataLength) {
        return new ScsiResult(GOOD, null, dataLength);
    }

    public static ScsiResult check(Sense sense) {
        return new ScsiResult(CHECK_CONDITION, sense.fixedFormat(), 0);
    }

    /** CHECK CONDITION with sense bytes made elsewhere (a sense with its INFORMATION field). */
    public static ScsiResult check(byte[] sense) {
        return new ScsiResult(CHECK_CONDITION, sense, 0);
    }

    public static ScsiResult conflict() {
        return new ScsiResult(RESERVATION_CONFLICT, null, 0);
    }

    public boolean isGood() {
        return status == GOOD;
    }
}
