package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** CRC32C digests on bytes: RFC 3720's test vectors, framing lengths, checking and stripping. */
class DigestsTest {
    @Test
    void crc32cMatchesTheRfcExamplesAsSentOnTheWire() {
        // RFC 3720 appendix B.4: 32 bytes of zeros -> aa 36 91 8a; of 0xff -> 43 ab a8 62; 0..31 -> 4e 79 dd 46
        assertArrayEquals(new byte[] {(byte) 0xaa, 0x36, (byte) 0x91, (byte) 0x8a}, Digests.wire(Digests.crc32c(ByteBuffer.allocate(32))));
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        assertArrayEquals(new byte[] {0x43, (byte) 0xab, (byte) 0xa8, 0x62}, Digests.wire(Digests.crc32c(ByteBuffer.wrap(ones))));
        byte[] rising = new byte[32];
        for (int i = 0; i < 32; i++) rising[i] = (byte) i;
        assertArrayEquals(new byte[] {0x4e, 0x79, (byte) 0xdd, 0x46}, Digests.wire(Digests.crc32c(ByteBuffer.wrap(rising))));
    }

    /** A SCSI command PDU with {@code data} immediate, framed with both digests as an initiator sends it. */
    static byte[] framed(byte[] data) {
        Bhs h = Bhs.of(Bhs.SCSI_COMMAND).itt(7).dataSegmentLength(data.length);
        int padded = PduFraming.padded(data.length);
        ByteBuffer f = ByteBuffer.allocate(Bhs.LENGTH + 4 + padded + (data.length > 0 ? 4 : 0));
        f.put(h.bytes()).put(Digests.wire(Digests.crc32c(ByteBuffer.wrap(h.bytes()))));
        byte[] paddedData = Arrays.copyOf(data, padded);
        f.put(paddedData);
        if (data.length > 0) f.put(Digests.wire(Digests.crc32c(ByteBuffer.wrap(paddedData))));
        return f.array();
    }

    @Test
    void aDigestedFrameIsMeasuredCheckedAndStripped() throws Exception {
        byte[] data = "seven bytes".getBytes();
        byte[] frame = framed(data);
        assertEquals(frame.length, PduFraming.frameLength(ByteBuffer.wrap(frame), 1 << 16, true, true));
        assertEquals(frame.length - 8, PduFraming.frameLength(ByteBuffer.wrap(frame), 1 << 16, false, false));
        Digests digests = new Digests();
        digests.start(true, true);
        ByteBuffer stripped = digests.strip(ByteBuffer.wrap(frame));
        Pdu pdu = PduFraming.parse(stripped);
        assertEquals(7, pdu.bhs().itt());
        assertArrayEquals(data, pdu.dataBytes());
        assertEquals(Bhs.LENGTH + 4, PduFraming.frameLength(ByteBuffer.wrap(framed(new byte[0])), 1 << 16, true, true),
                "no data, no data digest");
    }

    @Test
    void aDamagedHeaderOrDataIsRefused() {
        Digests digests = new Digests();
        digests.start(true, true);
        byte[] headerHit = framed(new byte[100]);
        headerHit[20] ^= 1;
        assertTrue(assertThrows(MalformedPduException.class, () -> digests.strip(ByteBuffer.wrap(headerHit)))
                .getMessage().contains("header digest mismatch"));
        byte[] dataHit = framed(new byte[100]);
        dataHit[Bhs.LENGTH + 4 + 50] ^= 1;
        assertTrue(assertThrows(MalformedPduException.class, () -> digests.strip(ByteBuffer.wrap(dataHit)))
                .getMessage().contains("data digest mismatch"));
    }
}
