package org.netroot.server.iscsi;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * iSCSI header and data digests (RFC 7143 §6.7, §11.1): CRC32C, sent after the header (BHS and
 * AHS) and after the padded data segment, least significant byte first (as the RFC's examples and
 * Linux's initiator send them). Which of them a connection uses is negotiated at login
 * ({@code HeaderDigest}, {@code DataDigest}) and applies to every PDU after the final login
 * response, both ways. The flags here are that connection's choice: the receiving side (framing
 * runs on the network thread) reads them as the connection's command thread sets them.
 */
public final class Digests {
    public static final int LENGTH = 4;

    private volatile boolean header;
    private volatile boolean data;

    /** From the next PDU on, both ways. Called before the final login response can reach the initiator. */
    public void start(boolean header, boolean data) {
        this.header = header;
        this.data = data;
    }

    public boolean header() {
        return header;
    }

    public boolean data() {
        return data;
    }

    /** CRC32C of {@code bytes} (position to limit; the buffer's position is unchanged). */
    public static int crc32c(ByteBuffer... parts) {
        CRC32C crc = new CRC32C();
        for (ByteBuffer b : parts) crc.update(b.duplicate());
        return (int) crc.getValue();
    }

    /** A digest as it goes on the wire: 4 bytes, least significant first. */
    public static byte[] wire(int crc) {
        return new byte[] {(byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24)};
    }

    /** The digest in the 4 bytes at {@code at}. */
    static int read(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8 | (b.get(at + 2) & 0xff) << 16 | (b.get(at + 3) & 0xff) << 24;
    }

    /**
     * Checks the digests of one whole frame ({@link PduFraming#frameLength} bytes with these digests, from its
     * position); returns where its data segment starts (after the header and its digest, if any).
     *
     * @throws MalformedPduException when a digest does not match: the connection is dropped (error recovery level 0)
     */
    public int check(ByteBuffer frame) throws MalformedPduException {
        return check(frame, header, data);
    }

    private static int check(ByteBuffer frame, boolean h, boolean d) throws MalformedPduException {
        ByteBuffer f = frame.slice();
        int headerLength = headerLength(f);
        int dsl = ((f.get(5) & 0xff) << 16) | ((f.get(6) & 0xff) << 8) | (f.get(7) & 0xff);
        int padded = PduFraming.padded(dsl);
        if (h) {
            int expected = crc32c(f.slice(0, headerLength));
            if (read(f, headerLength) != expected) {
                throw new MalformedPduException("header digest mismatch (CRC32C): the PDU was damaged on the way");
            }
        }
        int dataAt = headerLength + (h ? LENGTH : 0);
        if (d && dsl > 0) {
            int expected = crc32c(f.slice(dataAt, padded));
            if (read(f, dataAt + padded) != expected) {
                throw new MalformedPduException("data digest mismatch (CRC32C) in a PDU with " + dsl + " bytes of data");
            }
        }
        return dataAt;
    }

    /** BHS and AHS of the frame at {@code frame}'s position. */
    static int headerLength(ByteBuffer frame) {
        return Bhs.LENGTH + (frame.get(frame.position() + 4) & 0xff) * 4;
    }

    /** The padded data segment's length of the frame at {@code frame}'s position. */
    static int paddedDataLength(ByteBuffer frame) {
        int p = frame.position();
        return PduFraming.padded(((frame.get(p + 5) & 0xff) << 16) | ((frame.get(p + 6) & 0xff) << 8) | (frame.get(p + 7) & 0xff));
    }

    /** As {@link #check}, and a copy of the frame without its digests: header, then the padded data segment. */
    public ByteBuffer strip(ByteBuffer frame) throws MalformedPduException {
        ByteBuffer f = frame.slice();
        int dataAt = check(f, header, data);
        int headerLength = headerLength(f);
        int padded = paddedDataLength(f);
        ByteBuffer out = ByteBuffer.allocate(headerLength + padded);
        out.put(f.slice(0, headerLength)).put(f.slice(dataAt, padded));
        return out.flip();
    }
}
