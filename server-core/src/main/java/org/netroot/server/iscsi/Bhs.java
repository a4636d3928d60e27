package org.netroot.server.iscsi;

/**
 * The 48-byte Basic Header Segment every iSCSI PDU starts with (RFC 7143 §11.2.1), as named
 * getters and setters over the raw bytes. Multi-byte fields are big-endian.
 */
public final class Bhs {
    public static final int LENGTH = 48;

    // initiator opcodes (RFC 7143 §11.2.1.2)
    public static final int NOP_OUT = 0x00;
    public static final int SCSI_COMMAND = 0x01;
    public static final int TASK_MANAGEMENT = 0x02;
    public static final int LOGIN = 0x03;
    public static final int TEXT = 0x04;
    public static final int DATA_OUT = 0x05;
    public static final int LOGOUT = 0x06;
    public static final int SNACK = 0x10;
    // target opcodes
    public static final int NOP_IN = 0x20;
    public static final int SCSI_RESPONSE = 0x21;
    public static final int TASK_MANAGEMENT_RESPONSE = 0x22;
    public static final int LOGIN_RESPONSE = 0x23;
    public static final int TEXT_RESPONSE = 0x24;
    public static final int DATA_IN = 0x25;
    public static final int LOGOUT_RESPONSE = 0x26;
    public static final int R2T = 0x31;
    public static final int REJECT = 0x3f;

    /** Target Transfer Tag / Initiator Task Tag value meaning "none" (§11.18). */
    public static final int NO_TAG = 0xffffffff;

    private final byte[] b;

    public Bhs() {
        this(new byte[LENGTH]);
    }

    public Bhs(byte[] bytes) {
        if (bytes.length != LENGTH) throw new IllegalArgumentException("BHS is 48 bytes, got " + bytes.length);
        this.b = bytes;
    }

    public static Bhs of(int opcode) {
        Bhs h = new Bhs();
        h.b[0] = (byte) (opcode & 0x3f);
        return h;
    }

    public byte[] bytes() {
        return b;
    }

    public int opcode() {
        return b[0] & 0x3f;
    }

    public boolean immediate() {
        return (b[0] & 0x40) != 0;
    }

    public Bhs immediate(boolean on) {
        b[0] = (byte) (on ? b[0] | 0x40 : b[0] & ~0x40);
        return this;
    }

    public int flags() {
        return b[1] & 0xff;
    }

    public Bhs flags(int f) {
        b[1] = (byte) f;
        return this;
    }

    /** The F (final) bit of most PDUs, also T (transit) for login. */
    public boolean finalBit() {
        return (b[1] & 0x80) != 0;
    }

    public int byte2() {
        return b[2] & 0xff;
    }

    public Bhs byte2(int v) {
        b[2] = (byte) v;
        return this;
    }

    public int byte3() {
        return b[3] & 0xff;
    }

    public Bhs byte3(int v) {
        b[3] = (byte) v;
        return this;
    }

    /** TotalAHSLength in bytes (the field counts 4-byte words). */
    public int ahsLength() {
        return (b[4] & 0xff) * 4;
    }

    public int dataSegmentLength() {
        return ((b[5] & 0xff) << 16) | ((b[6] & 0xff) << 8) | (b[7] & 0xff);
    }

    public Bhs dataSegmentLength(int n) {
        b[5] = (byte) (n >>> 16);
        b[6] = (byte) (n >>> 8);
        b[7] = (byte) n;
        return this;
    }

    /** Bytes 8..15: the LUN, or ISID + TSIH in login PDUs. */
    public long lunField() {
        return long64(8);
    }

    public Bhs lunField(long v) {
        for (int i = 0; i < 8; i++) b[8 + i] = (byte) (v >>> (56 - 8 * i));
        return this;
    }

    /**
     * The LUN number in SAM-2 peripheral or flat addressing (the forms initiators use for LUN < 16384).
     * Another form (multi-level, logical unit or extended addressing) names no LUN here: the raw field,
     * never 0, comes back.
     */
    public long lun() {
        long raw = lunField();
        if ((raw & 0x0000_ffff_ffff_ffffL) != 0) return raw; // multi-level: no such LUN here
        if ((b[8] & 0x80) != 0) return raw;                  // address method 10b or 11b: not LUN 0's forms
        return ((b[8] & 0x3f) << 8) | (b[9] & 0xff);
    }

    public int itt() {
        return int32(16);
    }

    public Bhs itt(int v) {
        return int32(16, v);
    }

    public int int32(int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
                | (b[offset + 3] & 0xff);
    }

    public Bhs int32(int offset, int v) {
        b[offset] = (byte) (v >>> 24);
        b[offset + 1] = (byte) (v >>> 16);
        b[offset + 2] = (byte) (v >>> 8);
        b[offset + 3] = (byte) v;
        return this;
    }

    public int int16(int offset) {
        return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
    }

    public Bhs int16(int offset, int v) {
        b[offset] = (byte) (v >>> 8);
        b[offset + 1] = (byte) v;
        return this;
    }

    private long long64(int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[offset + i] & 0xff);
        return v;
    }

    /** The CDB of a SCSI Command PDU (bytes 32..47). */
    public byte[] cdb() {
        byte[] cdb = new byte[16];
        System.arraycopy(b, 32, cdb, 0, 16);
        return cdb;
    }

    public Bhs copy() {
        return new Bhs(b.clone());
    }
}
