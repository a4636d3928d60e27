package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of a DHCP packet, in the order they were added, code -> raw value. Immutable once
 * built; {@link Builder} makes the options of a reply.
 */
public final class DhcpOptions {
    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS_SERVERS = 6;
    public static final int HOST_NAME = 12;
    public static final int VENDOR_SPECIFIC = 43;
    public static final int REQUESTED_ADDRESS = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS = 60;
    public static final int CLIENT_ID = 61;
    public static final int USER_CLASS = 77;
    public static final int CLIENT_ARCH = 93;
    public static final int CLIENT_NDI = 94;
    public static final int CLIENT_UUID = 97;
    public static final int IPXE_ENCAPSULATED = 175;
    /** Inside option 175: iPXE's "no ProxyDHCP" flag (iPXE's DHCP_EB_NO_PXEDHCP, 175.176). */
    public static final int IPXE_NO_PXEDHCP = 176;
    public static final int END = 255;

    private final Map<Integer, byte[]> values;

    private DhcpOptions(Map<Integer, byte[]> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean has(int code) {
        return values.containsKey(code);
    }

    /** A copy of the raw value, or null when absent. */
    public byte[] bytes(int code) {
        byte[] v = values.get(code);
        return v == null ? null : v.clone();
    }

    /** The value read as ASCII text (trailing NULs dropped, as some ROMs send them), or null. */
    public String string(int code) {
        byte[] v = values.get(code);
        if (v == null) return null;
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) n--;
        return new String(v, 0, n, StandardCharsets.US_ASCII);
    }

    /** The first byte, or -1 when absent or empty. */
    public int uint8(int code) {
        byte[] v = values.get(code);
        return v == null || v.length < 1 ? -1 : v[0] & 0xff;
    }

    /** The first two bytes (network order), or -1 when absent or shorter. */
    public int uint16(int code) {
        byte[] v = values.get(code);
        return v == null || v.length < 2 ? -1 : (v[0] & 0xff) << 8 | (v[1] & 0xff);
    }

    /** A 4-byte address option, or null when absent or not 4 bytes long. */
    public Inet4Address address(int code) {
        byte[] v = values.get(code);
        if (v == null || v.length != 4) return null;
        try {
            return (Inet4Address) InetAddress.getByAddress(v);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<Integer, byte[]> asMap() {
        return values;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=')
                .append(DhcpPacket.hex(v)));
        return sb.append('}').toString();
    }

    public static final class Builder {
        private final Map<Integer, byte[]> values = new LinkedHashMap<>();

        /** Sets an option; a second call for the same code concatenates (RFC 3396 §4). */
        public Builder add(int code, byte[] value) {
            if (code == PAD || code == END) throw new IllegalArgumentException("option " + code + " has no value");
            values.merge(code, value.clone(), (a, b) -> {
                byte[] joined = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, joined, a.length, b.length);
                return joined;
            });
            return this;
        }

        public Builder put(int code, byte[] value) {
            values.put(code, value.clone());
            return this;
        }

        public Builder uint8(int code, int value) {
            return put(code, new byte[] {(byte) value});
        }

        public Builder uint32(int code, long value) {
            return put(code, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
                    (byte) value});
        }

        public Builder address(int code, Inet4Address address) {
            return put(code, address.getAddress());
        }

        /** A list of addresses, 4 bytes each (options 3, 6: RFC 2132 §3.5, §3.8). */
        public Builder addresses(int code, java.util.List<Inet4Address> addresses) {
            byte[] all = new byte[4 * addresses.size()];
            for (int i = 0; i < addresses.size(); i++) System.arraycopy(addresses.get(i).getAddress(), 0, all, 4 * i, 4);
            return put(code, all);
        }

        public Builder string(int code, String value) {
            return put(code, value.getBytes(StandardCharsets.US_ASCII));
        }

        public DhcpOptions build() {
            return new DhcpOptions(new LinkedHashMap<>(values));
        }
    }
}
