package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * A BOOTP/DHCP packet (RFC 2131 §2, figure 1): the 236-byte fixed header, the magic cookie and the
 * options. {@link #parse} rejects anything it cannot read with a {@link MalformedDhcpPacketException}
 * naming the reason; {@link #encode} writes what real ROMs accept (see there).
 */
public record DhcpPacket(
        int op,
        int htype,
        int hlen,
        int hops,
        int xid,
        int secs,
        int flags,
        Inet4Address ciaddr,
        Inet4Address yiaddr,
        Inet4Address siaddr,
        Inet4Address giaddr,
        byte[] chaddr,
        String sname,
        String file,
        DhcpOptions options) {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int FLAG_BROADCAST = 0x8000;
    /** RFC 2131 §2 "magic cookie" 99.130.83.99 in front of the options. */
    static final int MAGIC_COOKIE = 0x63825363;
    static final int FIXED_HEADER = 236;
    static final int SNAME_LENGTH = 64;
    static final int FILE_LENGTH = 128;
    /** RFC 1542 §3.1.1 / BOOTP: some clients (Linux's in-kernel one, old PXE ROMs) drop shorter packets. */
    public static final int MIN_REPLY_LENGTH = 300;

    public static final Inet4Address ZERO = ipv4(new byte[4]);
    public static final Inet4Address BROADCAST = ipv4(new byte[] {-1, -1, -1, -1});

    public DhcpPacket {
        if (chaddr.length != 16) chaddr = Arrays.copyOf(chaddr, 16);
        if (sname == null) sname = "";
        if (file == null) file = "";
    }

    public static DhcpPacket parse(byte[] data) throws MalformedDhcpPacketException {
        return parse(ByteBuffer.wrap(data));
    }

    /** Reads the packet from the buffer's position to its limit. */
    public static DhcpPacket parse(ByteBuffer in) throws MalformedDhcpPacketException {
        ByteBuffer b = in.slice();
        int length = b.remaining();
        if (length < FIXED_HEADER + 4) {
            throw new MalformedDhcpPacketException("truncated: " + length + " bytes, a DHCP packet has at least "
                    + (FIXED_HEADER + 4) + " (RFC 2131 §2)");
        }
        int op = b.get(0) & 0xff;
        if (op != BOOTREQUEST && op != BOOTREPLY) throw new MalformedDhcpPacketException("op " + op + " is neither "
                + "BOOTREQUEST nor BOOTREPLY");
        int hlen = b.get(2) & 0xff;
        if (hlen > 16) throw new MalformedDhcpPacketException("hardware address length " + hlen + " > 16");
        if (b.getInt(FIXED_HEADER) != MAGIC_COOKIE) {
            throw new MalformedDhcpPacketException("no DHCP magic cookie at byte 236 (plain BOOTP is not served)");
        }
        byte[] chaddr = new byte[16];
        b.get(28, chaddr);
        DhcpOptions options = parseOptions(b, FIXED_HEADER + 4, length);
        return new DhcpPacket(op, b.get(1) & 0xff, hlen, b.get(3) & 0xff, b.getInt(4), b.getShort(8) & 0xffff,
                b.getShort(10) & 0xffff, address(b, 12), address(b, 16), address(b, 20), address(b, 24), chaddr,
                cString(b, 44, SNAME_LENGTH), cString(b, 108, FILE_LENGTH), options);
    }

    private static DhcpOptions parseOptions(ByteBuffer b, int from, int to) throws MalformedDhcpPacketException {
        DhcpOptions.Builder options = DhcpOptions.builder();
        int i = from;
        while (i < to) {
            int code = b.get(i) & 0xff;
            if (code == DhcpOptions.END) return options.build();
            if (code == DhcpOptions.PAD) {
                i++;
                continue;
            }
            if (i + 1 >= to) throw new MalformedDhcpPacketException("option " + code + " truncated: no length byte");
            int len = b.get(i + 1) & 0xff;
            if (i + 2 + len > to) {
                throw new MalformedDhcpPacketException("option " + code + " truncated: length " + len + " runs "
                        + (i + 2 + len - to) + " bytes past the end of the packet");
            }
            byte[] value = new byte[len];
            b.get(i + 2, value);
            options.add(code, value); // a repeated option is concatenated (RFC 3396)
            i += 2 + len;
        }
        // No END option: RFC 2131 requires one, but clients that fill the packet exactly exist; what
        // we read so far is well formed, so keep it.
        return options.build();
    }

    /**
     * Writes the packet: fixed header, cookie, options (values over 255 bytes split as RFC 3396 says),
     * END, then PAD up to {@link #MIN_REPLY_LENGTH}. Never uses option overload (52): some PXE ROMs
     * read {@code file} and {@code sname} only as plain fields.
     */
    public byte[] encode() {
        byte[] snameBytes = sname.getBytes(StandardCharsets.US_ASCII);
        byte[] fileBytes = file.getBytes(StandardCharsets.US_ASCII);
        if (snameBytes.length >= SNAME_LENGTH) throw new IllegalArgumentException("sname too long: " + sname);
        if (fileBytes.length >= FILE_LENGTH) throw new IllegalArgumentException("boot file name too long for the "
                + "128-byte file field: " + file);
        int optionBytes = 0;
        for (byte[] v : options.asMap().values()) optionBytes += v.length + 2 * Math.max(1, (v.length + 254) / 255);
        int size = Math.max(MIN_REPLY_LENGTH, FIXED_HEADER + 4 + optionBytes + 1);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) op).put((byte) htype).put((byte) hlen).put((byte) hops).putInt(xid)
                .putShort((short) secs).putShort((short) flags)
                .put(ciaddr.getAddress()).put(yiaddr.getAddress()).put(siaddr.getAddress()).put(giaddr.getAddress())
                .put(chaddr);
        out.put(44, snameBytes).put(108, fileBytes).position(FIXED_HEADER);
        out.putInt(MAGIC_COOKIE);
        for (Map.Entry<Integer, byte[]> e : options.asMap().entrySet()) {
            byte[] v = e.getValue();
            int at = 0;
            do {
                int chunk = Math.min(255, v.length - at);
                out.put(e.getKey().byteValue()).put((byte) chunk).put(v, at, chunk);
                at += chunk;
            } while (at < v.length);
        }
        out.put((byte) DhcpOptions.END);
        return out.array(); // the rest is zero: PAD options
    }

    public DhcpMessageType messageType() {
        int code = options.uint8(DhcpOptions.MESSAGE_TYPE);
        return code < 0 ? null : DhcpMessageType.of(code);
    }

    public boolean broadcastFlag() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    /** The client's MAC as aa:bb:cc:dd:ee:ff (Ethernet: hlen 6). */
    public String mac() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < Math.min(hlen, 16); i++) {
            if (i > 0) sb.append(':');
            sb.append(HexFormat.of().toHexDigits(chaddr[i]));
        }
        return sb.toString();
    }

    @Override
    public byte[] chaddr() {
        return chaddr.clone();
    }

    @Override
    public String toString() {
        return "DhcpPacket[" + (op == BOOTREQUEST ? "request" : "reply") + " " + messageType() + " xid="
                + Integer.toHexString(xid) + " mac=" + mac() + " ciaddr=" + ciaddr.getHostAddress() + " yiaddr="
                + yiaddr.getHostAddress() + " siaddr=" + siaddr.getHostAddress() + " giaddr=" + giaddr.getHostAddress()
                + " flags=" + Integer.toHexString(flags) + " file=" + file + " options=" + options + "]";
    }

    static String hex(byte[] v) {
        return HexFormat.of().formatHex(v);
    }

    public static Inet4Address ipv4(byte[] four) {
        try {
            return (Inet4Address) InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Inet4Address ipv4(String dotted) {
        try {
            InetAddress a = InetAddress.getByName(dotted);
            if (a instanceof Inet4Address v4 && dotted.matches("[0-9.]+")) return v4;
        } catch (UnknownHostException e) {
            // fall through
        }
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }

    private static Inet4Address address(ByteBuffer b, int at) {
        byte[] a = new byte[4];
        b.get(at, a);
        return ipv4(a);
    }

    private static String cString(ByteBuffer b, int at, int max) {
        int n = 0;
        while (n < max && b.get(at + n) != 0) n++;
        byte[] s = new byte[n];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }
}
