package org.netroot.server.iscsi;

import java.nio.ByteBuffer;

/**
 * Where one PDU ends in a byte stream (RFC 7143 §11.2): BHS, AHS, a header digest when the connection
 * uses one, the data segment padded to a multiple of 4, a data digest when it uses one and there is data.
 */
public final class PduFraming {
    private PduFraming() {
    }

    /**
     * @param header the bytes at the start of a PDU (position..limit)
     * @param maxDataSegment the largest data segment we accept (what we declared as MaxRecvDataSegmentLength)
     * @return the PDU's total length on the wire, or -1 when fewer than 48 bytes are there yet
     */
    public static int frameLength(ByteBuffer header, int maxDataSegment) throws MalformedPduException {
        return frameLength(header, maxDataSegment, false, false);
    }

    /** As {@link #frameLength(ByteBuffer, int)} on a connection that uses these digests ({@link Digests}). */
    public static int frameLength(ByteBuffer header, int maxDataSegment, boolean headerDigest, boolean dataDigest)
            throws MalformedPduException {
        if (header.remaining() < Bhs.LENGTH) return -1;
        int p = header.position();
        int opcode = header.get(p) & 0x3f;
        if (!isInitiatorOpcode(opcode)) {
            throw new MalformedPduException(String.format("opcode 0x%02x is not an initiator PDU", opcode));
        }
        int ahs = (header.get(p + 4) & 0xff) * 4;
        int dsl = ((header.get(p + 5) & 0xff) << 16) | ((header.get(p + 6) & 0xff) << 8) | (header.get(p + 7) & 0xff);
        if (dsl > maxDataSegment) {
            throw new MalformedPduException("data segment of " + dsl + " bytes exceeds our MaxRecvDataSegmentLength "
                    + maxDataSegment);
        }
        return Bhs.LENGTH + ahs + (headerDigest ? Digests.LENGTH : 0) + padded(dsl)
                + (dataDigest && dsl > 0 ? Digests.LENGTH : 0);
    }

    /** Splits a complete frame (exactly {@link #frameLength} bytes) into header and data. */
    public static Pdu parse(ByteBuffer frame) {
        byte[] h = new byte[Bhs.LENGTH];
        ByteBuffer f = frame.duplicate();
        f.get(h);
        Bhs bhs = new Bhs(h);
        int start = f.position() + bhs.ahsLength();
        ByteBuffer data = f.duplicate();
        data.position(start).limit(start + bhs.dataSegmentLength());
        return new Pdu(bhs, data.slice());
    }

    public static int padded(int length) {
        return (length + 3) & ~3;
    }

    static boolean isInitiatorOpcode(int op) {
        return op <= Bhs.LOGOUT || op == Bhs.SNACK;
    }
}
