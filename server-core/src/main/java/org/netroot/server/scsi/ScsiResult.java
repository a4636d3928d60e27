package org.netroot.server.scsi;

/**
 * The outcome of one command: SAM status, sense data when the status is CHECK CONDITION, and how
 * many bytes the command placed in its {@link DataIn} buffer.
 */
public record ScsiResult(int status, byte[] sense, int dataLength) {
    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;

    public static ScsiResult good(int dataLength) {
        return new ScsiResult(GOOD, null, dataLength);
    }

    public static ScsiResult check(Sense sense) {
        return new ScsiResult(CHECK_CONDITION, sense.fixedFormat(), 0);
    }

    public boolean isGood() {
        return status == GOOD;
    }
}
