package org.netroot.server.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Client requests written byte by byte the way real clients lay them out (independent of
 * {@link DhcpPacket#encode}, so the codec is tested against bytes it did not write).
 */
final class ClientPackets {
    static final byte[] UUID = HexFormat.of().parseHex("00" + "0123456789abcdef0123456789abcdef");
    static final String BIOS_VENDOR = "PXEClient:Arch:00000:UNDI:002001";
    static final String OVMF_VENDOR = "PXEClient:Arch:00007:UNDI:003000";
    static final String ARM64_VENDOR = "PXEClient:Arch:00011:UNDI:003000";
    static final String HTTP_VENDOR = "HTTPClient:Arch:00016:UNDI:003001";

    private final ByteArrayOutputStream options = new ByteArrayOutputStream();
    private final byte[] mac;
    private int xid = 0x1234abcd;
    private int flags;
    private byte[] ciaddr = new byte[4];
    private byte[] giaddr = new byte[4];

    private ClientPackets(String mac, int messageType) {
        this.mac = HexFormat.of().parseHex(mac.replace(":", ""));
        option(53, messageType);
    }

    static ClientPackets discover(String mac) {
        return new ClientPackets(mac, 1);
    }

    static ClientPackets request(String mac) {
        return new ClientPackets(mac, 3);
    }

    static ClientPackets of(String mac, int messageType) {
        return new ClientPackets(mac, messageType);
    }

    /** Firmware PXE in a BIOS NIC ROM (Intel-style): arch 0, UNDI 2.1, no user class. */
    static ClientPackets biosFirmware(String mac, int type) {
        return new ClientPackets(mac, type).option(57, 0x05, 0xc0).option(93, 0, 0).option(94, 1, 2, 1)
                .option(97, UUID).string(60, BIOS_VENDOR).option(55, 1, 3, 43, 60, 66, 67, 128, 129, 130, 131)
                .broadcast();
    }

    /** iPXE as QEMU's BIOS NIC ROM: PXEClient arch 0, user class "iPXE", option 175. */
    static ClientPackets biosIpxeRom(String mac, int type) {
        return new ClientPackets(mac, type).option(57, 0x05, 0xdc).option(93, 0, 0).option(94, 1, 2, 1)
                .string(60, BIOS_VENDOR).string(77, "iPXE").option(175, 0xb1, 0x05, 0x01, 0x80, 0x86, 0x10, 0x0e)
                .option(55, 1, 3, 6, 7, 12, 15, 17, 26, 43, 60, 66, 67, 119, 128, 129, 130, 131, 132, 133, 134, 135,
                        175, 203);
    }

    /** OVMF's x64 UEFI PXE. */
    static ClientPackets ovmfX64(String mac, int type) {
        return new ClientPackets(mac, type).option(57, 0x05, 0xc0).option(93, 0, 7).option(94, 1, 3, 0)
                .option(97, UUID).string(60, OVMF_VENDOR).option(55, 1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23,
                        28, 40, 41, 42, 43, 50, 51, 54, 58, 59, 60, 66, 67, 97, 128, 129, 130, 131, 132, 133, 134, 135);
    }

    static ClientPackets arm64(String mac, int type) {
        return new ClientPackets(mac, type).option(93, 0, 0x0b).option(94, 1, 3, 0).option(97, UUID)
                .string(60, ARM64_VENDOR).option(55, 1, 3, 43, 60, 66, 67);
    }

    /** iPXE (snponly.efi) running on x64 UEFI: arch 7, user class iPXE. */
    static ClientPackets ipxeEfi(String mac, int type) {
        return new ClientPackets(mac, type).option(93, 0, 7).option(94, 1, 3, 10)
                .string(60, "PXEClient:Arch:00007:UNDI:003010").string(77, "iPXE").option(175, 0x13, 0x01, 0x01);
    }

    /** OVMF's x64 UEFI HTTP Boot (HttpBootDxe): arch 0x10, option 60 HTTPClient. */
    static ClientPackets httpBoot(String mac, int type) {
        return httpBoot(mac, type, 0x10);
    }

    /** UEFI HTTP Boot of architecture {@code arch} (0x0f IA32, 0x10 x64, 0x13 ARM64), as HttpBootDxe lays it out. */
    static ClientPackets httpBoot(String mac, int type, int arch) {
        return new ClientPackets(mac, type).option(93, 0, arch).option(94, 1, 3, 1).option(97, UUID)
                .string(60, String.format("HTTPClient:Arch:%05d:UNDI:003001", arch)).option(55, 1, 3, 6, 60, 66, 67);
    }

    /** A plain Linux client (klibc ipconfig of Debian's initramfs, or udhcpc): no PXE at all. */
    static ClientPackets plainLinux(String mac, int type) {
        byte[] clientId = new byte[7];
        clientId[0] = 1;
        System.arraycopy(HexFormat.of().parseHex(mac.replace(":", "")), 0, clientId, 1, 6);
        return new ClientPackets(mac, type).option(61, clientId).string(60, "Linux ipconfig")
                .option(55, 1, 3, 6, 12, 15, 17, 26, 28, 40, 42, 119, 121).string(12, "pc1");
    }

    ClientPackets option(int code, int... value) {
        byte[] b = new byte[value.length];
        for (int i = 0; i < value.length; i++) b[i] = (byte) value[i];
        return option(code, b);
    }

    ClientPackets option(int code, byte[] value) {
        options.write(code);
        options.write(value.length);
        options.writeBytes(value);
        return this;
    }

    ClientPackets string(int code, String value) {
        return option(code, value.getBytes(StandardCharsets.US_ASCII));
    }

    ClientPackets address(int code, String dotted) {
        return option(code, DhcpPacket.ipv4(dotted).getAddress());
    }

    ClientPackets broadcast() {
        flags = 0x8000;
        return this;
    }

    ClientPackets ciaddr(String dotted) {
        ciaddr = DhcpPacket.ipv4(dotted).getAddress();
        return this;
    }

    ClientPackets giaddr(String dotted) {
        giaddr = DhcpPacket.ipv4(dotted).getAddress();
        return this;
    }

    ClientPackets xid(int value) {
        xid = value;
        return this;
    }

    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(236 + 4 + options.size() + 1 + 60); // clients pad too
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid).putShort((short) 4)
                .putShort((short) flags).put(ciaddr).put(new byte[4]).put(new byte[4]).put(giaddr).put(mac)
                .put(new byte[10]).put(new byte[64]).put(new byte[128]);
        b.putInt(0x63825363).put(options.toByteArray()).put((byte) 255);
        return b.array();
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }
}
