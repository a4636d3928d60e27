package org.netroot.server.nbd;

import java.nio.ByteBuffer;

/**
 * One transmission request's header. {@code offset} and {@code length} are unsigned on the wire:
 * {@code offset} may read as negative here (at or above 2^63), {@code length} is 0..2^32-1.
 * A WRITE's data follows the header in the same frame.
 */
public record Request(int flags, int type, long handle, long offset, long length) {
    /** The header at the start of a whole request frame (magic already checked by {@link NbdFraming}). */
    public static Request parse(ByteBuffer frame) {
        int p = frame.position();
        return new Request(frame.getShort(p + 4) & 0xffff, frame.getShort(p + 6) & 0xffff, frame.getLong(p + 8),
                frame.getLong(p + 16), Integer.toUnsignedLong(frame.getInt(p + 24)));
    }

    /** The WRITE data of a whole request frame: the bytes after the header. */
    public static ByteBuffer payload(ByteBuffer frame) {
        ByteBuffer f = frame.duplicate();
        f.position(f.position() + NbdProtocol.REQUEST_HEADER);
        return f.slice();
    }

    /** The header as the client sends it (tests and tools). */
    public byte[] encode() {
        return ByteBuffer.allocate(NbdProtocol.REQUEST_HEADER).putInt(NbdProtocol.REQUEST_MAGIC).putShort((short) flags)
                .putShort((short) type).putLong(handle).putLong(offset).putInt((int) length).array();
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
