package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.testing.PeerChannel;

/**
 * The iSCSI service's Netty handlers on an {@link EmbeddedChannel}, no sockets: the framer cuts a
 * byte stream into whole PDUs however TCP splits or joins it and drops a connection that sends
 * junk; the connection handler stops reading while the peer does not take our output.
 */
class IscsiChannelTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260);
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final int MAX = SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH;

    @TempDir
    Path dir;
    final InputErrors errors = new InputErrors();
    final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        for (EmbeddedChannel ch : channels) ch.finishAndReleaseAll();
    }

    // ---- framing -----------------------------------------------------------------------------

    @Test
    void aPduSplitAcrossReadsComesOutWhole() {
        EmbeddedChannel ch = framer();
        byte[] pdu = wire(Bhs.SCSI_COMMAND, 0x11, 13);
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(pdu, 0, 1)), "one byte is not a PDU");
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(pdu, 1, 46)), "47 bytes are not a header yet");
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(pdu, 47, 10)), "the header is there, the data is not");
        assertTrue(ch.writeInbound(Unpooled.wrappedBuffer(pdu, 57, pdu.length - 57)));
        assertFrame(pdu, ch.readInbound());
        assertNull(ch.readInbound());
        assertTrue(ch.isOpen());
        assertEquals(0, errors.count("iSCSI"));
    }

    @Test
    void severalPdusInOneReadComeOutOneByOne() {
        EmbeddedChannel ch = framer();
        byte[] a = wire(Bhs.LOGIN, 1, 0);
        byte[] b = wire(Bhs.SCSI_COMMAND, 2, 5); // padded to 8
        byte[] c = wire(Bhs.NOP_OUT, 3, 512);
        byte[] d = wire(Bhs.DATA_OUT, 4, 3);
        ByteBuf joined = Unpooled.wrappedBuffer(a, b, c, Bytes.head(d, 20)); // and the start of a fourth
        assertTrue(ch.writeInbound(joined));
        assertFrame(a, ch.readInbound());
        assertFrame(b, ch.readInbound());
        assertFrame(c, ch.readInbound());
        assertNull(ch.readInbound(), "the fourth PDU is not complete");
        ch.writeInbound(Unpooled.wrappedBuffer(d, 20, d.length - 20));
        assertFrame(d, ch.readInbound());
    }

    @Test
    void aHeaderThatIsNotAnInitiatorPduIsDroppedCountedAndClosed() {
        EmbeddedChannel ch = framer();
        byte[] junk = "GET / HTTP/1.1\r\nHost: netroot\r\nUser-Agent: curl\r\n\r\n".getBytes();
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
        assertNull(ch.readInbound());
        assertEquals(1, errors.count("iSCSI"));
        assertFalse(ch.isOpen(), "a peer that sends junk is disconnected");
    }

    @Test
    void aDataSegmentBeyondOurLimitIsDroppedCountedAndClosed() {
        EmbeddedChannel ch = framer();
        byte[] header = Bhs.of(Bhs.DATA_OUT).dataSegmentLength(MAX + 4).bytes();
        // a valid PDU first: it is delivered, then the oversize header closes the connection
        ch.writeInbound(Unpooled.wrappedBuffer(wire(Bhs.NOP_OUT, 9, 0), header));
        ByteBuf first = ch.readInbound();
        assertEquals(Bhs.LENGTH, first.readableBytes());
        first.release();
        assertNull(ch.readInbound());
        assertEquals(1, errors.count("iSCSI"));
        assertFalse(ch.isOpen());
    }

    @Test
    void aConnectionClosedInsideAPduIsCounted() {
        EmbeddedChannel ch = framer();
        ch.writeInbound(Unpooled.wrappedBuffer(Bytes.head(wire(Bhs.SCSI_COMMAND, 5, 100), 60)));
        assertFalse(ch.finish(), "nothing whole to deliver");
        assertEquals(1, errors.count("iSCSI"));
    }

    // ---- backpressure ------------------------------------------------------------------------

    /**
     * An initiator that keeps sending but does not read: once our unsent output passes the high water
     * mark the handler stops reading the socket (TCP then pushes back on the peer) and keeps the PDUs
     * that already came in; when the output drains below the low mark it handles them and reads again.
     */
    @Test
    void readingStopsWhileThePeerDoesNotTakeOurOutputAndResumesWhenItDoes() throws IOException {
        IscsiService service = service();
        HeldFlushes peerNotReading = new HeldFlushes();
        IscsiService.LoginSlot slot = IscsiService.LoginSlot.take(new ConcurrentHashMap<>(), PEER.getAddress());
        EmbeddedChannel ch = new PeerChannel(LOCAL, PEER);
        channels.add(ch);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(32, 64));
        Digests digests = new Digests();
        ch.pipeline().addLast(peerNotReading, new IscsiService.Framer(errors, digests), service.new ConnectionHandler(slot, digests, null));
        ch.pipeline().fireChannelActive(); // the handlers came after registration: tell them the connection is up

        // a login: its answer (a header and text keys, over 64 bytes) stays unsent
        ch.writeInbound(wire(ConnectionTest.login(0, 1, true, ConnectionTest.keys("InitiatorName", ConnectionTest.INITIATOR,
                "TargetName", ConnectionTest.TARGET, "SessionType", "Normal", "AuthMethod", "None"), 0x10, 1)));
        assertFalse(ch.isWritable(), "the login answer is over the high water mark and not taken");
        assertTrue(ch.config().isAutoRead(), "nothing waits yet");
        assertTrue(ch.outboundMessages().isEmpty(), "the peer took nothing");

        // the next PDU waits, and the socket is no longer read
        ch.writeInbound(wire(ConnectionTest.login(1, 3, true, ConnectionTest.keys("HeaderDigest", "None",
                "DataDigest", "None", "MaxRecvDataSegmentLength", "8192"), 0x11, 1)));
        assertFalse(ch.config().isAutoRead(), "reading stops while the output is not taken");
        assertEquals(1, service.pausedConnections());

        // the peer reads: output drains below the low mark, the waiting PDU is answered, reading resumes
        peerNotReading.release();
        assertTrue(ch.config().isAutoRead(), "reading resumes once the output drained");
        assertEquals(0, service.pausedConnections());
        List<Integer> answered = new ArrayList<>();
        for (ByteBuf out; (out = ch.readOutbound()) != null; ) {
            if (out.readableBytes() >= Bhs.LENGTH) {
                answered.add(out.getInt(16)); // the ITT of each response
            }
            out.release();
        }
        assertEquals(List.of(0x10, 0x11), answered, "both logins answered, in order");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Holds flushes as a peer that does not read holds our output in the socket buffer; {@link #release} lets it go. */
    static final class HeldFlushes extends ChannelOutboundHandlerAdapter {
        private ChannelHandlerContext ctx;
        private boolean held = true;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!held) ctx.flush();
        }

        void release() {
            held = false;
            ctx.flush();
        }
    }

    private EmbeddedChannel framer() {
        EmbeddedChannel ch = new EmbeddedChannel(new IscsiService.Framer(errors, new Digests()));
        channels.add(ch);
        return ch;
    }

    private IscsiService service() throws IOException {
        Path volume = dir.resolve("pc1.img");
        Files.write(volume, new byte[1 << 20]);
        IscsiTarget target = new IscsiTarget(ConnectionTest.TARGET, ConnectionTest.INITIATOR, "pc1", "52:54:00:00:00:01",
                "pc1-disk", null, null);
        TargetCatalog catalog = new SingleTargetCatalog(target, volume);
        return new IscsiService(new IscsiSettings(InetAddress.getLoopbackAddress(), 0), catalog, e -> { },
                new PeerDirectory(), errors);
    }

    /** A PDU on the wire: header with {@code itt}, {@code dataLength} bytes of data, padding. */
    private static byte[] wire(int opcode, int itt, int dataLength) {
        byte[] data = new byte[dataLength];
        for (int i = 0; i < dataLength; i++) data[i] = (byte) (i + 1);
        return ConnectionTest.wire(Pdu.of(Bhs.of(opcode).itt(itt), data));
    }

    private static ByteBuf wire(Pdu pdu) {
        return Unpooled.wrappedBuffer(ConnectionTest.wire(pdu));
    }

    private static void assertFrame(byte[] expected, ByteBuf frame) {
        try {
            assertArrayEquals(expected, ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }

    private static final class Bytes {
        static byte[] head(byte[] b, int n) {
            return java.util.Arrays.copyOf(b, n);
        }
    }
}
