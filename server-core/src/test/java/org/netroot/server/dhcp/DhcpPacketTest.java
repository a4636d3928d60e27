package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DhcpPacketTest {
    private static final String MAC = "52:54:00:12:34:56";

    @Test
    void parsesABiosPxeDiscoverByteByByte() throws Exception {
        DhcpPacket p = DhcpPacket.parse(ClientPackets.biosFirmware(MAC, 1).xid(0xcafef00d).bytes());
        assertEquals(DhcpPacket.BOOTREQUEST, p.op());
        assertEquals(0xcafef00d, p.xid());
        assertEquals(MAC, p.mac());
        assertEquals(DhcpMessageType.DISCOVER, p.messageType());
        assertTrue(p.broadcastFlag());
        assertEquals("PXEClient:Arch:00000:UNDI:002001", p.options().string(DhcpOptions.VENDOR_CLASS));
        assertEquals(0, p.options().uint16(DhcpOptions.CLIENT_ARCH));
        assertArrayEquals(ClientPackets.UUID, p.options().bytes(DhcpOptions.CLIENT_UUID));
        assertEquals(1472, p.options().uint16(57));
        assertEquals("0.0.0.0", p.ciaddr().getHostAddress());
    }

    @Test
    void aReplyIsAtLeast300BytesEndsWith255AndNeverOverloadsFileOrSname() throws Exception {
        DhcpPacket request = DhcpPacket.parse(ClientPackets.ovmfX64(MAC, 1).bytes());
        DhcpPacket reply = Replies.reply(request, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ipv4("198.18.0.1"),
                "snponly.efi", DhcpOptions.builder().uint8(53, 2).address(54, DhcpPacket.ipv4("198.18.0.1")).build());
        byte[] bytes = reply.encode();
        assertTrue(bytes.length >= 300, "length " + bytes.length);
        assertEquals(0x63, bytes[236] & 0xff);
        // options: 53(3 bytes) 54(6 bytes) then END, then PAD to the end
        int end = 240 + 3 + 6;
        assertEquals(255, bytes[end] & 0xff);
        for (int i = end + 1; i < bytes.length; i++) assertEquals(0, bytes[i], "pad at " + i);
        assertEquals("snponly.efi", new String(bytes, 108, 11));
        DhcpPacket back = DhcpPacket.parse(bytes);
        assertEquals(DhcpPacket.BOOTREPLY, back.op());
        assertEquals("snponly.efi", back.file());
        assertEquals(request.xid(), back.xid());
        assertEquals(MAC, back.mac());
        assertTrue(!back.options().has(DhcpOptions.OVERLOAD));
    }

    @Test
    void longOptionsAreSplitAndJoinedAgain() throws Exception {
        byte[] big = new byte[600];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        DhcpPacket request = DhcpPacket.parse(ClientPackets.discover(MAC).bytes());
        byte[] bytes = Replies.reply(request, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, "",
                DhcpOptions.builder().put(43, big).build()).encode();
        assertEquals(43, bytes[240] & 0xff);
        assertEquals(255, bytes[241] & 0xff);
        assertArrayEquals(big, DhcpPacket.parse(bytes).options().bytes(43));
    }

    @Test
    void truncatedInputIsRejectedWithAReason() {
        byte[] good = ClientPackets.biosFirmware(MAC, 1).bytes();
        var e = assertThrows(MalformedDhcpPacketException.class, () -> DhcpPacket.parse(Arrays.copyOf(good, 100)));
        assertTrue(e.getMessage().contains("truncated: 100 bytes"), e.getMessage());
        // cut inside the options: the option whose value runs past the end is named
        var cut = assertThrows(MalformedDhcpPacketException.class, () -> DhcpPacket.parse(Arrays.copyOf(good, 250)));
        assertTrue(cut.getMessage().startsWith("option "), cut.getMessage());
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
    }

    @Test
    void garbageIsRejectedWithAReason() {
        byte[] noCookie = ClientPackets.discover(MAC).bytes();
        noCookie[236] = 0;
        assertTrue(reason(noCookie).contains("magic cookie"));
        byte[] badOp = ClientPackets.discover(MAC).bytes();
        badOp[0] = 7;
        assertTrue(reason(badOp).contains("op 7"));
        byte[] badHlen = ClientPackets.discover(MAC).bytes();
        badHlen[2] = 99;
        assertTrue(reason(badHlen).contains("hardware address length 99"));
        assertTrue(reason("GET / HTTP/1.1\r\n\r\n".getBytes()).contains("truncated"));
    }

    @Test
    void randomBytesNeverCrashTheParser() {
        Random random = new Random(42);
        byte[] valid = ClientPackets.biosIpxeRom(MAC, 1).bytes();
        for (int i = 0; i < 20_000; i++) {
            byte[] junk;
            if (i % 2 == 0) {
                junk = new byte[random.nextInt(600)];
                random.nextBytes(junk);
                if (junk.length > 240) System.arraycopy(valid, 0, junk, 0, 240); // valid header, random options
            } else {
                junk = valid.clone();
                for (int k = 0; k < 5; k++) junk[240 + random.nextInt(junk.length - 240)] = (byte) random.nextInt();
                junk = Arrays.copyOf(junk, 240 + random.nextInt(junk.length - 239));
            }
            try {
                DhcpPacket.parse(junk);
            } catch (MalformedDhcpPacketException expected) {
                assertTrue(!expected.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail("parser crashed on input " + i + ": " + e);
            }
        }
    }

    @Test
    void aFileNameThatDoesNotFitIsRefusedInsteadOfCut() throws Exception {
        DhcpPacket request = DhcpPacket.parse(ClientPackets.discover(MAC).bytes());
        DhcpPacket reply = Replies.reply(request, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, "x".repeat(128),
                DhcpOptions.builder().build());
        assertThrows(IllegalArgumentException.class, reply::encode);
    }

    private static String reason(byte[] bytes) {
        try {
            DhcpPacket.parse(bytes);
        } catch (MalformedDhcpPacketException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted garbage");
    }
}
