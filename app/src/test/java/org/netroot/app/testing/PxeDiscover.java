package org.netroot.app.testing;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** A UEFI x64 PXE firmware's DHCPDISCOVER (RFC 2131 header, options 53, 60 "PXEClient", 93 = 7), sent over UDP. */
public final class PxeDiscover {
    public static final String VENDOR = "PXEClient:Arch:00007:UNDI:003000";

    private PxeDiscover() {
    }

    public static byte[] bytes(String mac) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);              // op BOOTREQUEST
        out.write(1);              // htype Ethernet
        out.write(6);              // hlen
        out.write(0);              // hops
        out.writeBytes(new byte[] {0x12, 0x34, 0x56, 0x78}); // xid
        out.writeBytes(new byte[] {0, 0, (byte) 0x80, 0});   // secs, flags: broadcast
        out.writeBytes(new byte[16]); // ciaddr, yiaddr, siaddr, giaddr
        byte[] chaddr = new byte[16];
        System.arraycopy(HexFormat.of().parseHex(mac.replace(":", "")), 0, chaddr, 0, 6);
        out.writeBytes(chaddr);
        out.writeBytes(new byte[64 + 128]); // sname, file
        out.writeBytes(new byte[] {99, (byte) 130, 83, 99}); // magic cookie
        out.writeBytes(new byte[] {53, 1, 1});                // DISCOVER
        byte[] vendor = VENDOR.getBytes(StandardCharsets.US_ASCII);
        out.write(60);
        out.write(vendor.length);
        out.writeBytes(vendor);
        out.writeBytes(new byte[] {93, 2, 0, 7});             // x64 UEFI
        out.writeBytes(new byte[] {94, 3, 1, 3, 0});          // UNDI 3.0
        out.write(255);
        return out.toByteArray();
    }

    /** Sends the DISCOVER to a DHCP server listening on loopback at {@code port}. */
    public static void send(String mac, int port) throws Exception {
        byte[] b = bytes(mac);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    public static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
