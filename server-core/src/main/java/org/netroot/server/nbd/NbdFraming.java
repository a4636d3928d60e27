package org.netroot.server.nbd;

import java.nio.ByteBuffer;

/**
 * Where one client message ends in the byte stream, in each phase: the 32-bit client flags after
 * the greeting, then options (IHAVEOPT, option, length, data), then requests (a 28-byte header,
 * followed by its data for NBD_CMD_WRITE). Anything that cannot be one is malformed: the connection
 * is dropped, since nothing after it can be framed either.
 */
public final class NbdFraming {
    /** Bytes of the client flags that answer the greeting. */
    public static final int CLIENT_FLAGS = 4;

    private NbdFraming() {
    }

    /** The phase a connection is in, which decides what the next message is. */
    public enum Phase { CLIENT_FLAGS, OPTIONS, TRANSMISSION }

    /**
     * @param head the bytes received so far at the start of a message (position..limit)
     * @return the message's whole length, or -1 when its header is not all there yet
     */
    public static int frameLength(Phase phase, ByteBuffer head) throws MalformedNbdException {
        return switch (phase) {
            case CLIENT_FLAGS -> head.remaining() < CLIENT_FLAGS ? -1 : CLIENT_FLAGS;
            case OPTIONS -> optionLength(head);
            case TRANSMISSION -> requestLength(head);
        };
    }

    static int optionLength(ByteBuffer head) throws MalformedNbdException {
        if (head.remaining() < NbdProtocol.OPTION_HEADER) return -1;
        int p = head.position();
        if (head.getLong(p) != NbdProtocol.IHAVEOPT) {
            throw new MalformedNbdException("an option without the IHAVEOPT magic (not an NBD client, or oldstyle)");
        }
        long length = Integer.toUnsignedLong(head.getInt(p + 12));
        if (length > NbdProtocol.MAX_OPTION_DATA) {
            throw new MalformedNbdException(NbdProtocol.optionName(head.getInt(p + 8)) + " with " + length
                    + " bytes of data (at most " + NbdProtocol.MAX_OPTION_DATA + " taken)");
        }
        return NbdProtocol.OPTION_HEADER + (int) length;
    }

    static int requestLength(ByteBuffer head) throws MalformedNbdException {
        if (head.remaining() < NbdProtocol.REQUEST_HEADER) return -1;
        int p = head.position();
        int magic = head.getInt(p);
        if (magic != NbdProtocol.REQUEST_MAGIC) {
            throw new MalformedNbdException(String.format("a request without the request magic (0x%08x)", magic));
        }
        if ((head.getShort(p + 6) & 0xffff) != NbdProtocol.CMD_WRITE) return NbdProtocol.REQUEST_HEADER;
        long length = Integer.toUnsignedLong(head.getInt(p + 24));
        if (length > NbdProtocol.MAX_PAYLOAD) {
            // its data cannot be skipped without reading it all: past the advertised maximum, the protocol lets us hang up
            throw new MalformedNbdException("NBD_CMD_WRITE of " + length + " bytes (at most " + NbdProtocol.MAX_PAYLOAD
                    + ", the maximum block size we advertise)");
        }
        return NbdProtocol.REQUEST_HEADER + (int) length;
    }
}
