package org.netroot.server.iscsi;

import java.nio.ByteBuffer;

/**
 * One received PDU: its header and its data segment (without padding; AHS skipped). The data
 * buffer is only valid while the PDU is being handled: whoever keeps data copies it.
 */
public record Pdu(Bhs bhs, ByteBuffer data) {
    public static Pdu of(Bhs bhs, byte[] data) {
        return new Pdu(bhs.dataSegmentLength(data.length), ByteBuffer.wrap(data));
    }

    public byte[] dataBytes() {
        ByteBuffer d = data.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
