package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TftpPacketTest {

    private static byte[] bytes(int opcode, String... zeroTerminated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(opcode);
        for (String s : zeroTerminated) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static TftpPacket parse(byte[] bytes) throws MalformedPacketException {
        return TftpPacket.parse(ByteBuffer.wrap(bytes));
    }

    @Test
    void readRequestWithOptionsKeepsOrderAndLowerCasesNames() throws Exception {
        var rrq = assertInstanceOf(TftpPacket.ReadRequest.class,
                parse(bytes(1, "undionly.kpxe", "OCTET", "TSIZE", "0", "BlkSize", "1468", "windowsize", "16")));
        assertEquals("undionly.kpxe", rrq.filename());
        assertEquals("octet", rrq.mode());
        assertEquals(List.of("tsize", "blksize", "windowsize"), List.copyOf(rrq.options().keySet()));
        assertEquals("1468", rrq.options().get("blksize"));
    }

    @Test
    void zeroPaddingAfterARequestIsTolerated() throws Exception {
        byte[] padded = java.util.Arrays.copyOf(bytes(1, "pxelinux.0", "octet"), 40);
        var rrq = assertInstanceOf(TftpPacket.ReadRequest.class, parse(padded));
        assertEquals(Map.of(), rrq.options());
    }

    @Test
    void truncatedAndGarbagePacketsAreRejected() {
        assertThrows(MalformedPacketException.class, () -> parse(new byte[0]));
        assertThrows(MalformedPacketException.class, () -> parse(new byte[] {0}));
        assertThrows(MalformedPacketException.class, () -> parse(new byte[] {0, 4, 1}));   // ACK cut short
        assertThrows(MalformedPacketException.class, () -> parse(new byte[] {0, 3}));      // DATA without block
        assertThrows(MalformedPacketException.class, () -> parse(new byte[] {0, 9, 0, 0})); // unknown opcode
        assertThrows(MalformedPacketException.class, () -> parse("\u0000\u0001file.bin".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(MalformedPacketException.class, () -> parse(bytes(1, "", "octet")));  // empty name
        byte[] optionWithoutValue = java.util.Arrays.copyOf(bytes(1, "f", "octet", "blksize"), 17);
        optionWithoutValue[16] = '9'; // "blksize\0" then an unterminated value
        assertThrows(MalformedPacketException.class, () -> parse(optionWithoutValue));
        assertThrows(MalformedPacketException.class, () -> parse("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void everyPacketSurvivesEncodeThenParse() throws Exception {
        List<TftpPacket> packets = List.of(
                new TftpPacket.ReadRequest("boot/x.efi", "octet", Map.of("blksize", "1468")),
                new TftpPacket.WriteRequest("up.bin", "octet", Map.of()),
                new TftpPacket.Ack(65535),
                new TftpPacket.Error(2, "access violation"),
                new TftpPacket.OptionAck(Map.of("tsize", "42")));
        for (TftpPacket p : packets) assertEquals(p, parse(TftpPacket.encode(p).array()));
        var data = assertInstanceOf(TftpPacket.Data.class, parse(TftpPacket.encode(new TftpPacket.Data(65535, new byte[] {1, 2})).array()));
        assertEquals(65535, data.block());
        assertEquals(2, data.payload().length);
    }

    @Test
    void errorWithoutTerminatorIsReadLeniently() throws Exception {
        var error = assertInstanceOf(TftpPacket.Error.class, parse(new byte[] {0, 5, 0, 8, 'n', 'o'}));
        assertEquals(8, error.code());
        assertEquals("no", error.message());
        assertEquals(0, assertInstanceOf(TftpPacket.Error.class, parse(new byte[] {0, 5, 0, 0})).code());
    }

    @Test
    void errorBytesAreWhatTheRfcSays() {
        ByteBuffer b = TftpPacket.encode(new TftpPacket.Error(2, "access violation"));
        byte[] expected = bytes(5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(expected);
        out.write(0);
        out.write(2);
        out.writeBytes("access violation".getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        assertEquals(ByteBuffer.wrap(out.toByteArray()), b);
    }
}
