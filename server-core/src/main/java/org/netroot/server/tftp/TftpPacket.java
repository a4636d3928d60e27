package org.netroot.server.tftp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The six TFTP packets (RFC 1350 §5, OACK from RFC 2347) and their one parser/encoder.
 * DATA packets on the hot path are written in place by {@link ReadTransfer}; the record here
 * exists so tests and the parser speak the same types.
 */
public sealed interface TftpPacket {
    int RRQ = 1, WRQ = 2, DATA = 3, ACK = 4, ERROR = 5, OACK = 6;

    /** RFC 1350 + RFC 2347: option names are case-insensitive, kept lower case, in request order. */
    record ReadRequest(String filename, String mode, Map<String, String> options) implements TftpPacket { }

    record WriteRequest(String filename, String mode, Map<String, String> options) implements TftpPacket { }

    /** {@code block} is the 16-bit wire number (0..65535). */
    record Data(int block, byte[] payload) implements TftpPacket { }

    record Ack(int block) implements TftpPacket { }

    record Error(int code, String message) implements TftpPacket {
        public static final int NOT_DEFINED = 0, FILE_NOT_FOUND = 1, ACCESS_VIOLATION = 2, DISK_FULL = 3,
                ILLEGAL_OPERATION = 4, UNKNOWN_TID = 5, FILE_EXISTS = 6, NO_SUCH_USER = 7,
                OPTION_REFUSED = 8; // RFC 2347: also what UEFI sends after its tsize probe
    }

    record OptionAck(Map<String, String> options) implements TftpPacket { }

    /** Reads one datagram (position..limit); the buffer's position is left unchanged. */
    static TftpPacket parse(ByteBuffer datagram) throws MalformedPacketException {
        ByteBuffer in = datagram.duplicate();
        if (in.remaining() < 2) throw new MalformedPacketException("shorter than an opcode (" + in.remaining() + " bytes)");
        int opcode = in.getShort() & 0xFFFF;
        switch (opcode) {
            case RRQ, WRQ -> {
                String filename = cString(in, "filename");
                String mode = cString(in, "mode").toLowerCase(Locale.ROOT);
                if (filename.isEmpty()) throw new MalformedPacketException("empty filename");
                Map<String, String> options = new LinkedHashMap<>();
                while (in.hasRemaining()) {
                    String name = cString(in, "option name");
                    // some PXE ROMs pad the request with zero bytes: an empty name ends the list
                    if (name.isEmpty()) break;
                    String value = cString(in, "value of option " + name);
                    options.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                }
                Map<String, String> frozen = Collections.unmodifiableMap(options);
                return opcode == RRQ ? new ReadRequest(filename, mode, frozen) : new WriteRequest(filename, mode, frozen);
            }
            case DATA -> {
                if (in.remaining() < 2) throw new MalformedPacketException("DATA without a block number");
                int block = in.getShort() & 0xFFFF;
                byte[] payload = new byte[in.remaining()];
                in.get(payload);
                return new Data(block, payload);
            }
            case ACK -> {
                if (in.remaining() < 2) throw new MalformedPacketException("ACK without a block number");
                return new Ack(in.getShort() & 0xFFFF);
            }
            case ERROR -> {
                if (in.remaining() < 2) throw new MalformedPacketException("ERROR without a code");
                int code = in.getShort() & 0xFFFF;
                // a missing terminator on the message is common and harmless: take what is there
                String message = in.hasRemaining() ? lenientString(in) : "";
                return new Error(code, message);
            }
            case OACK -> {
                Map<String, String> options = new LinkedHashMap<>();
                while (in.hasRemaining()) {
                    String name = cString(in, "option name");
                    if (name.isEmpty()) break;
                    options.put(name.toLowerCase(Locale.ROOT), cString(in, "value of option " + name));
                }
                return new OptionAck(Collections.unmodifiableMap(options));
            }
            default -> throw new MalformedPacketException("unknown opcode " + opcode);
        }
    }

    static ByteBuffer encode(TftpPacket packet) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(packet));
        switch (packet) {
            case ReadRequest r -> writeRequest(out, RRQ, r.filename(), r.mode(), r.options());
            case WriteRequest w -> writeRequest(out, WRQ, w.filename(), w.mode(), w.options());
            case Data d -> out.putShort((short) DATA).putShort((short) d.block()).put(d.payload());
            case Ack a -> out.putShort((short) ACK).putShort((short) a.block());
            case Error e -> {
                out.putShort((short) ERROR).putShort((short) e.code());
                putCString(out, e.message());
            }
            case OptionAck o -> {
                out.putShort((short) OACK);
                o.options().forEach((k, v) -> { putCString(out, k); putCString(out, v); });
            }
        }
        return out.flip();
    }

    private static int encodedLength(TftpPacket packet) {
        return switch (packet) {
            case ReadRequest r -> 2 + requestLength(r.filename(), r.mode(), r.options());
            case WriteRequest w -> 2 + requestLength(w.filename(), w.mode(), w.options());
            case Data d -> 4 + d.payload().length;
            case Ack a -> 4;
            case Error e -> 4 + utf8Length(e.message()) + 1;
            case OptionAck o -> 2 + optionsLength(o.options());
        };
    }

    private static int requestLength(String filename, String mode, Map<String, String> options) {
        return utf8Length(filename) + 1 + utf8Length(mode) + 1 + optionsLength(options);
    }

    private static int optionsLength(Map<String, String> options) {
        int n = 0;
        for (Map.Entry<String, String> e : options.entrySet()) n += utf8Length(e.getKey()) + utf8Length(e.getValue()) + 2;
        return n;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void writeRequest(ByteBuffer out, int opcode, String filename, String mode, Map<String, String> options) {
        out.putShort((short) opcode);
        putCString(out, filename);
        putCString(out, mode);
        options.forEach((k, v) -> { putCString(out, k); putCString(out, v); });
    }

    private static void putCString(ByteBuffer out, String s) {
        out.put(s.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
    }

    /** A zero-terminated string (RFC 1350 §5 "netascii string ... terminated by a zero byte"). */
    private static String cString(ByteBuffer in, String what) throws MalformedPacketException {
        int start = in.position();
        for (int i = start; i < in.limit(); i++) {
            if (in.get(i) == 0) {
                byte[] bytes = new byte[i - start];
                in.get(bytes);
                in.get(); // the terminator
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        throw new MalformedPacketException(what + " is not zero-terminated");
    }

    private static String lenientString(ByteBuffer in) {
        int end = in.position();
        while (end < in.limit() && in.get(end) != 0) end++;
        byte[] bytes = new byte[end - in.position()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
