package org.netroot.server.dhcp;

import java.net.Inet4Address;

/**
 * A network interface DHCP answers on: its name, its own address and prefix length (the subnet:
 * option 1, which addresses may be leased) and the address clients are told to use (server id,
 * next-server, script URLs) — the interface's own unless the user set --server-address.
 */
public record ServedInterface(String name, Inet4Address address, int prefixLength, Inet4Address serverAddress) {
    public ServedInterface {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix " + prefixLength);
        if (serverAddress == null) serverAddress = address;
    }

    public ServedInterface(String name, Inet4Address address, int prefixLength) {
        this(name, address, prefixLength, address);
    }

    public Inet4Address subnetMask() {
        return DhcpPacket.ipv4(toBytes(mask()));
    }

    public boolean contains(Inet4Address ip) {
        return (toInt(ip) & mask()) == (toInt(address) & mask());
    }

    /** The network and broadcast addresses of the subnet are never handed out. */
    public boolean isHostAddress(Inet4Address ip) {
        if (prefixLength >= 31) return contains(ip);
        int host = toInt(ip) & ~mask();
        return contains(ip) && host != 0 && host != ~mask();
    }

    private int mask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static byte[] toBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
