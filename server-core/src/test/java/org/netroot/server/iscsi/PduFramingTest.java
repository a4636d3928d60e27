package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PduFramingTest {
    private static final int MAX = SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH;

    @Test
    void lengthIsHeaderAhsAndPaddedData() throws Exception {
        Bhs h = Bhs.of(Bhs.SCSI_COMMAND).dataSegmentLength(5);
        h.bytes()[4] = 2; // two words of AHS
        byte[] frame = new byte[48 + 8 + 8];
        System.arraycopy(h.bytes(), 0, frame, 0, 48);
        frame[56] = 'h';
        frame[60] = 'o';
        assertEquals(64, PduFraming.frameLength(ByteBuffer.wrap(frame), MAX));
        Pdu pdu = PduFraming.parse(ByteBuffer.wrap(frame));
        assertEquals(5, pdu.data().remaining(), "padding is not data");
        assertEquals('h', pdu.data().get(0));
        assertEquals('o', pdu.data().get(4));
    }

    @Test
    void fewerThan48BytesIsNotAFrameYet() throws Exception {
        assertEquals(-1, PduFraming.frameLength(ByteBuffer.allocate(47), MAX));
    }

    @Test
    void targetOpcodesAndJunkAreMalformed() {
        byte[] junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".getBytes();
        MalformedPduException e = assertThrows(MalformedPduException.class,
                () -> PduFraming.frameLength(ByteBuffer.wrap(junk), MAX));
        assertTrue(e.getMessage().contains("opcode"), e.getMessage());
        assertThrows(MalformedPduException.class,
                () -> PduFraming.frameLength(ByteBuffer.wrap(Bhs.of(Bhs.DATA_IN).bytes()), MAX));
    }

    @Test
    void oversizedDataSegmentIsMalformed() {
        Bhs h = Bhs.of(Bhs.DATA_OUT).dataSegmentLength(MAX + 1);
        assertThrows(MalformedPduException.class, () -> PduFraming.frameLength(ByteBuffer.wrap(h.bytes()), MAX));
    }

    @Test
    void headerFieldsAreBigEndianAtTheirOffsets() {
        Bhs h = Bhs.of(Bhs.SCSI_COMMAND).immediate(true).flags(0xc1);
        h.itt(0x01020304).int32(20, 0x00001000).dataSegmentLength(0x0a0b0c);
        h.lunField(0x0001_0000_0000_0000L);
        byte[] b = h.bytes();
        assertEquals(0x41, b[0]);
        assertEquals((byte) 0xc1, b[1]);
        assertArrayEquals(new byte[] {0x0a, 0x0b, 0x0c}, new byte[] {b[5], b[6], b[7]});
        assertArrayEquals(new byte[] {1, 2, 3, 4}, new byte[] {b[16], b[17], b[18], b[19]});
        assertEquals(1, h.lun(), "peripheral addressing: LUN in byte 1");
        assertEquals(0x0a0b0c, h.dataSegmentLength());
        assertTrue(h.immediate());
        assertEquals(Bhs.SCSI_COMMAND, h.opcode());
    }
}
