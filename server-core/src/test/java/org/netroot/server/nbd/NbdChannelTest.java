package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.netroot.server.service.InputErrors;

/**
 * The framer on an {@link EmbeddedChannel}, no sockets: messages come out whole however TCP splits
 * or joins them; during the handshake one at a time, framed in the phase its answer chose; junk and
 * cut-off messages are dropped and counted once.
 */
class NbdChannelTest {
    final InputErrors errors = new InputErrors();
    final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        for (EmbeddedChannel ch : channels) ch.finishAndReleaseAll();
    }

    NbdService.Framer framer;

    EmbeddedChannel channel() {
        framer = new NbdService.Framer(errors);
        EmbeddedChannel ch = new EmbeddedChannel(framer);
        channels.add(ch);
        return ch;
    }

    static byte[] bytes(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    /** A channel past the handshake: client flags and one option answered, requests next. */
    EmbeddedChannel inTransmission() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3}));
        bytes(ch.readInbound());
        framer.resume(NbdFraming.Phase.TRANSMISSION);
        return ch;
    }

    @Test
    void handshakeMessagesComeOneAtATimeInThePhaseTheirAnswerChose() {
        EmbeddedChannel ch = channel();
        byte[] list = new OptionRequest(NbdProtocol.OPT_LIST, new byte[0]).encode();
        byte[] go = new OptionRequest(NbdProtocol.OPT_GO, RawNbdClient.goData("pc1-disk")).encode();
        byte[] request = new Request(0, NbdProtocol.CMD_READ, 5, 0, 512).encode();
        // flags, two options and a request in one read: only the flags come out before their answer
        ch.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {0, 0, 0, 3}, list, go, request)));
        assertArrayEquals(new byte[] {0, 0, 0, 3}, bytes(ch.readInbound()));
        assertNull(ch.readInbound(), "the next message waits for the answer to this one");
        framer.resume(NbdFraming.Phase.OPTIONS);
        assertArrayEquals(list, bytes(ch.readInbound()));
        assertNull(ch.readInbound());
        framer.resume(NbdFraming.Phase.OPTIONS);
        assertArrayEquals(go, bytes(ch.readInbound()));
        framer.resume(NbdFraming.Phase.TRANSMISSION); // NBD_OPT_GO granted: the rest are requests
        assertArrayEquals(request, bytes(ch.readInbound()));
        assertEquals(0, errors.count(NbdService.NAME));
    }

    @Test
    void aRequestAndAWriteSplitAcrossReadsComeOutWhole() {
        EmbeddedChannel ch = inTransmission();
        byte[] data = new byte[3000];
        java.util.Arrays.fill(data, (byte) 7);
        byte[] write = concat(new Request(NbdProtocol.CMD_FLAG_FUA, NbdProtocol.CMD_WRITE, 1, 4096, data.length).encode(), data);
        byte[] read = new Request(0, NbdProtocol.CMD_READ, 2, 0, 1 << 20).encode();
        byte[] stream = concat(write, read, read);
        int[] cuts = {1, 27, 28, 1000, stream.length - 30, stream.length - 1, stream.length};
        int from = 0;
        List<byte[]> out = new ArrayList<>();
        for (int cut : cuts) {
            ch.writeInbound(Unpooled.wrappedBuffer(stream, from, cut - from));
            for (ByteBuf b; (b = ch.readInbound()) != null; ) out.add(bytes(b));
            from = cut;
        }
        assertEquals(3, out.size());
        assertArrayEquals(write, out.get(0), "the WRITE with all its data");
        assertArrayEquals(read, out.get(1));
        assertArrayEquals(read, out.get(2));
    }

    @Test
    void junkIsDroppedCountedOnceAndTheChannelClosed() {
        EmbeddedChannel ch = inTransmission();
        byte[] junk = new byte[100];
        junk[0] = 1;
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
        assertNull(ch.readInbound());
        assertFalse(ch.isActive(), "closed");
        assertEquals(1, errors.count(NbdService.NAME));
        ch.finishAndReleaseAll();
        assertEquals(1, errors.count(NbdService.NAME), "what was left is not counted again");
    }

    @Test
    void aMessageCutOffByTheCloseIsCounted() {
        EmbeddedChannel ch = inTransmission();
        ch.writeInbound(Unpooled.wrappedBuffer(new Request(0, NbdProtocol.CMD_WRITE, 1, 0, 4096).encode()));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[100])); // 100 of 4096 bytes of data
        assertNull(ch.readInbound());
        ch.close();
        assertEquals(1, errors.count(NbdService.NAME));
    }
}
