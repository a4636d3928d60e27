package org.netroot.server.nbd;

import java.nio.ByteBuffer;

/**
 * Transmission replies as bytes: simple replies (magic, error, handle) and the structured reply
 * chunks Netroot sends once the client negotiated them (a READ's data in one OFFSET_DATA chunk,
 * errors as an ERROR chunk with a message, a zero-length READ as NONE).
 */
public final class Replies {
    /** The header in front of a READ's data with structured replies: the chunk header and the offset. */
    public static final int OFFSET_DATA_HEADER = NbdProtocol.STRUCTURED_REPLY_HEADER + 8;
    /** Error messages in chunks are kept short: a 16-bit length, and the client only prints them. */
    static final int MAX_MESSAGE = 1024;

    private Replies() {
    }

    public static byte[] simple(int error, long handle) {
        return simple(ByteBuffer.allocate(NbdProtocol.SIMPLE_REPLY_HEADER), error, handle).array();
    }

    /** Puts a simple reply's 16 bytes at {@code into}'s position; returns {@code into}. */
    public static ByteBuffer simple(ByteBuffer into, int error, long handle) {
        return into.putInt(NbdProtocol.SIMPLE_REPLY_MAGIC).putInt(error).putLong(handle);
    }

    /** Puts a structured chunk's 20-byte header at {@code into}'s position; returns {@code into}. */
    public static ByteBuffer chunkHeader(ByteBuffer into, int flags, int type, long handle, int payloadLength) {
        return into.putInt(NbdProtocol.STRUCTURED_REPLY_MAGIC).putShort((short) flags).putShort((short) type)
                .putLong(handle).putInt(payloadLength);
    }

    /** The header of the one chunk that carries a READ's {@code length} bytes from {@code offset}, the last one. */
    public static ByteBuffer offsetData(ByteBuffer into, long handle, long offset, int length) {
        return chunkHeader(into, NbdProtocol.REPLY_FLAG_DONE, NbdProtocol.REPLY_TYPE_OFFSET_DATA, handle, 8 + length)
                .putLong(offset);
    }

    /** The empty last chunk: success with nothing to carry. */
    public static byte[] none(long handle) {
        return chunkHeader(ByteBuffer.allocate(NbdProtocol.STRUCTURED_REPLY_HEADER), NbdProtocol.REPLY_FLAG_DONE,
                NbdProtocol.REPLY_TYPE_NONE, handle, 0).array();
    }

    /** An ERROR chunk, the last of its reply: the error number and a message for the client's user. */
    public static byte[] error(long handle, int error, String message) {
        byte[] m = OptionReplies.utf8(message, MAX_MESSAGE);
        int n = m.length;
        ByteBuffer b = ByteBuffer.allocate(NbdProtocol.STRUCTURED_REPLY_HEADER + 6 + n);
        chunkHeader(b, NbdProtocol.REPLY_FLAG_DONE, NbdProtocol.REPLY_TYPE_ERROR, handle, 6 + n);
        return b.putInt(error).putShort((short) n).put(m, 0, n).array();
    }
}
