package org.netroot.server.scsi;

/**
 * Sense data (SPC-4 §4.5): a sense key and an additional sense code/qualifier. Sent in fixed
 * format (response code 0x70), which every initiator reads.
 */
public record Sense(int key, int asc, int ascq) {
    public static final int NO_SENSE = 0x0;
    public static final int MEDIUM_ERROR = 0x3;
    public static final int ILLEGAL_REQUEST = 0x5;
    public static final int UNIT_ATTENTION = 0x6;
    public static final int DATA_PROTECT = 0x7;
    public static final int ABORTED_COMMAND = 0xb;
    public static final int MISCOMPARE = 0xe;

    public static final Sense INVALID_OPCODE = new Sense(ILLEGAL_REQUEST, 0x20, 0x00);
    public static final Sense LBA_OUT_OF_RANGE = new Sense(ILLEGAL_REQUEST, 0x21, 0x00);
    public static final Sense INVALID_FIELD_IN_CDB = new Sense(ILLEGAL_REQUEST, 0x24, 0x00);
    public static final Sense LUN_NOT_SUPPORTED = new Sense(ILLEGAL_REQUEST, 0x25, 0x00);
    public static final Sense INVALID_FIELD_IN_PARAMETER_LIST = new Sense(ILLEGAL_REQUEST, 0x26, 0x00);
    public static final Sense SAVING_PARAMETERS_NOT_SUPPORTED = new Sense(ILLEGAL_REQUEST, 0x39, 0x00);
    public static final Sense PARAMETER_LIST_LENGTH_ERROR = new Sense(ILLEGAL_REQUEST, 0x1a, 0x00);
    public static final Sense WRITE_PROTECTED = new Sense(DATA_PROTECT, 0x27, 0x00);
    /**
     * SBC-4 §4.7.3.7 (ASC 27h ASCQ 07h): a thin-provisioned unit could not get space for a write
     * (the host's disk is full). LIO answers ENOSPC from its backing store with this; Linux then
     * fails the write with -ENOSPC (sd: space allocation failed) rather than retrying it.
     */
    public static final Sense SPACE_ALLOCATION_FAILED = new Sense(DATA_PROTECT, 0x27, 0x07);
    public static final Sense UNRECOVERED_READ_ERROR = new Sense(MEDIUM_ERROR, 0x11, 0x00);
    public static final Sense WRITE_ERROR = new Sense(MEDIUM_ERROR, 0x0c, 0x00);
    public static final Sense MISCOMPARE_DURING_VERIFY = new Sense(MISCOMPARE, 0x1d, 0x00);
    /** Data-Out shorter than the CDB asked for (iSCSI: the initiator sent less than the command needs). */
    public static final Sense DATA_PHASE_ERROR = new Sense(ABORTED_COMMAND, 0x4b, 0x00);

    /** SPC-4 ASC 2Ah ASCQ 09h: the volume was resized; the initiator should read its capacity again. */
    public static final Sense CAPACITY_DATA_HAS_CHANGED = new Sense(UNIT_ATTENTION, 0x2a, 0x09);

    public static final int FIXED_LENGTH = 18;

    public byte[] fixedFormat() {
        byte[] s = new byte[FIXED_LENGTH];
        s[0] = 0x70;                  // current error, fixed format
        s[2] = (byte) (key & 0x0f);
        s[7] = FIXED_LENGTH - 8;      // additional sense length
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        return s;
    }

    /** Descriptor format (response code 0x72, SPC-4 §4.5.2) without descriptors: for REQUEST SENSE with DESC=1. */
    public byte[] descriptorFormat() {
        byte[] s = new byte[8];
        s[0] = 0x72;
        s[1] = (byte) (key & 0x0f);
        s[2] = (byte) asc;
        s[3] = (byte) ascq;
        return s;
    }

    /** Reads key/ASC/ASCQ back from fixed-format sense bytes (for tests and logs). */
    public static Sense parse(byte[] fixed) {
        return new Sense(fixed[2] & 0x0f, fixed[12] & 0xff, fixed[13] & 0xff);
    }
}
