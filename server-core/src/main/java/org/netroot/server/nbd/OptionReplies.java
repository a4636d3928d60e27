package org.netroot.server.nbd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** What the server sends during the handshake, as bytes: the greeting and the replies to options. */
public final class OptionReplies {
    /** Bytes of the greeting: NBDMAGIC, IHAVEOPT, handshake flags. */
    public static final int GREETING_LENGTH = 18;
    /** Bytes of an option reply's header: magic, option, reply type, length. */
    public static final int HEADER = 20;
    /** Zeros after NBD_OPT_EXPORT_NAME's reply unless the client asked for none (NBD_FLAG_C_NO_ZEROES). */
    static final int EXPORT_NAME_ZEROES = 124;
    /** An error message is a string: at most 4096 bytes on the wire. */
    static final int MAX_MESSAGE = 4096;

    private OptionReplies() {
    }

    /** Newstyle only: the oldstyle greeting is never sent (the protocol wants it refused on port 10809). */
    public static byte[] greeting() {
        return ByteBuffer.allocate(GREETING_LENGTH).putLong(NbdProtocol.NBDMAGIC).putLong(NbdProtocol.IHAVEOPT)
                .putShort((short) (NbdProtocol.FLAG_FIXED_NEWSTYLE | NbdProtocol.FLAG_NO_ZEROES)).array();
    }

    public static byte[] reply(int option, int type, byte[] data) {
        return ByteBuffer.allocate(HEADER + data.length).putLong(NbdProtocol.OPTION_REPLY_MAGIC).putInt(option)
                .putInt(type).putInt(data.length).put(data).array();
    }

    public static byte[] ack(int option) {
        return reply(option, NbdProtocol.REP_ACK, new byte[0]);
    }

    /** An error reply; its data is a message the client may show its user (qemu and nbd-client print it). */
    public static byte[] error(int option, int type, String message) {
        return reply(option, type, truncated(message));
    }

    /** NBD_REP_SERVER: one export for NBD_OPT_LIST, its name then a description for people. */
    public static byte[] server(String name, String description) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] d = description == null ? new byte[0] : truncated(description);
        return reply(NbdProtocol.OPT_LIST, NbdProtocol.REP_SERVER,
                ByteBuffer.allocate(4 + n.length + d.length).putInt(n.length).put(n).put(d).array());
    }

    /** NBD_INFO_EXPORT: the export's size and transmission flags. */
    public static byte[] infoExport(int option, long size, int transmissionFlags) {
        return reply(option, NbdProtocol.REP_INFO, ByteBuffer.allocate(12).putShort((short) NbdProtocol.INFO_EXPORT)
                .putLong(size).putShort((short) transmissionFlags).array());
    }

    /** NBD_INFO_BLOCK_SIZE: the smallest, preferred and largest request we like. */
    public static byte[] infoBlockSize(int option) {
        return reply(option, NbdProtocol.REP_INFO, ByteBuffer.allocate(14).putShort((short) NbdProtocol.INFO_BLOCK_SIZE)
                .putInt(NbdProtocol.MIN_BLOCK).putInt(NbdProtocol.PREFERRED_BLOCK).putInt(NbdProtocol.MAX_PAYLOAD).array());
    }

    /** The answer to NBD_OPT_EXPORT_NAME, which has no reply header: size, flags, and 124 zeros unless NO_ZEROES. */
    public static byte[] exportName(long size, int transmissionFlags, boolean noZeroes) {
        return ByteBuffer.allocate(10 + (noZeroes ? 0 : EXPORT_NAME_ZEROES)).putLong(size)
                .putShort((short) transmissionFlags).array();
    }

    static byte[] truncated(String message) {
        return utf8(message, MAX_MESSAGE);
    }

    /** {@code s} in UTF-8, cut to at most {@code max} bytes at a character boundary (strings must stay UTF-8). */
    static byte[] utf8(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) return b;
        int n = max;
        while (n > 0 && (b[n] & 0xc0) == 0x80) n--; // b[n] continues a character: cut before that character
        return java.util.Arrays.copyOf(b, n);
    }
}
