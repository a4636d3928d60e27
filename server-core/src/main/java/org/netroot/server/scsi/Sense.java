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
    /**
     * SPC-4 ASC 29h ASCQ 00h, POWER ON, RESET, OR BUS DEVICE RESET OCCURRED: after a LOGICAL UNIT
     * RESET or a target reset. The generic code of the 29h family, the one initiators (libiscsi's
     * RESERVE6 among them) retry on.
     */
    public static final Sense RESET_OCCURRED = new Sense(UNIT_ATTENTION, 0x29, 0x00);
    /** SPC-4 2Ah/03h: another initiator's CLEAR took this one's registration and the reservation. */
    public static final Sense RESERVATIONS_PREEMPTED = new Sense(UNIT_ATTENTION, 0x2a, 0x03);
    /** SPC-4 2Ah/04h: a registrants-only or all-registrants reservation this initiator shared is gone. */
    public static final Sense RESERVATIONS_RELEASED = new Sense(UNIT_ATTENTION, 0x2a, 0x04);
    /** SPC-4 2Ah/05h: another initiator's PREEMPT removed this one's registration. */
    public static final Sense REGISTRATIONS_PREEMPTED = new Sense(UNIT_ATTENTION, 0x2a, 0x05);
    /** SPC-4 26h/04h: RELEASE named another type than the persistent reservation held. */
    public static final Sense INVALID_RELEASE_OF_PERSISTENT_RESERVATION = new Sense(ILLEGAL_REQUEST, 0x26, 0x04);

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

    /**
     * Fixed format with the INFORMATION field valid (VALID bit, bytes 3-6): COMPARE AND WRITE puts
     * the offset of the first byte that differed there (SBC-4 §5.3).
     */
    public byte[] fixedFormat(long information) {
        byte[] s = fixedFormat();
        s[0] = (byte) 0xf0;
        Bytes.put32(s, 3, (int) information);
        return s;
    }

    /**
     * Fixed format with a field pointer (SPC-4 §4.5.2.4.2: SKSV, C/D=1): the CDB byte that was
     * wrong. Initiators tell "this field is wrong" from "this command does not exist" by it
     * (libiscsi takes INVALID FIELD IN CDB without one, on a MAINTENANCE IN, for the latter).
     */
    public byte[] fixedFormatPointingAt(int cdbByte) {
        byte[] s = fixedFormat();
        s[15] = (byte) (0x80 | 0x40);
        Bytes.put16(s, 16, cdbByte);
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
