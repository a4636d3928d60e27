package org.netroot.server.nbd;

import java.nio.ByteBuffer;

/** One option the client sent during the handshake: its number and its data. */
public record OptionRequest(int option, byte[] data) {
    /** A whole option frame ({@link NbdFraming#frameLength} bytes, magic already checked). */
    public static OptionRequest parse(ByteBuffer frame) {
        ByteBuffer f = frame.duplicate();
        int option = f.getInt(f.position() + 8);
        byte[] data = new byte[f.remaining() - NbdProtocol.OPTION_HEADER];
        f.position(f.position() + NbdProtocol.OPTION_HEADER).get(data);
        return new OptionRequest(option, data);
    }

    /** The option as the client sends it (tests, and the benchmark's tools). */
    public byte[] encode() {
        return ByteBuffer.allocate(NbdProtocol.OPTION_HEADER + data.length).putLong(NbdProtocol.IHAVEOPT)
                .putInt(option).putInt(data.length).put(data).array();
    }
}
