package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The transfer state machine, driven with the bytes a client would send, checked on the bytes it sends back. */
class ReadTransferTest {

    private final List<byte[]> sent = new ArrayList<>();

    private static byte[] randomFile(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private ReadTransfer transfer(byte[] file, Map<String, String> asked, int retries) {
        TransferOptions options = TransferOptions.negotiate(asked, file.length, 1000);
        ReadTransfer.FileBlocks blocks = (offset, dst) -> {
            if (offset >= file.length) return -1;
            int n = (int) Math.min(dst.remaining(), file.length - offset);
            dst.put(file, (int) offset, n);
            return n;
        };
        return new ReadTransfer(options, file.length, blocks, new ReadTransfer.Datagrams() {
            @Override
            public void send(ByteBuffer datagram) {
                byte[] copy = new byte[datagram.remaining()];
                datagram.get(copy);
                sent.add(copy);
            }

            @Override
            public void sendData(ByteBuffer header, ByteBuffer payload) {
                byte[] copy = new byte[header.remaining() + payload.remaining()];
                header.get(copy, 0, 4);
                payload.get(copy, 4, copy.length - 4);
                sent.add(copy);
            }
        }, retries);
    }

    private static Map<String, String> options(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }

    /** What the client's socket would hand us: the raw bytes of an ACK, parsed by the one parser. */
    private static TftpPacket ack(int block) throws MalformedPacketException {
        return TftpPacket.parse(ByteBuffer.wrap(new byte[] {0, 4, (byte) (block >> 8), (byte) block}));
    }

    private static TftpPacket error(int code, String message) throws MalformedPacketException {
        return TftpPacket.parse(TftpPacket.encode(new TftpPacket.Error(code, message)));
    }

    private List<TftpPacket> drain() throws MalformedPacketException {
        List<TftpPacket> packets = new ArrayList<>();
        for (byte[] bytes : sent) packets.add(TftpPacket.parse(ByteBuffer.wrap(bytes)));
        sent.clear();
        return packets;
    }

    private List<Integer> dataBlocks() throws MalformedPacketException {
        List<Integer> blocks = new ArrayList<>();
        for (TftpPacket p : drain()) blocks.add(((TftpPacket.Data) p).block());
        return blocks;
    }

    @Test
    void withoutOptionsTheFirstPacketIsData1() throws Exception {
        byte[] file = randomFile(1000);
        ReadTransfer t = transfer(file, Map.of(), 3);
        t.start();
        assertEquals(1, sent.size());
        byte[] expected = new byte[4 + 512];
        expected[1] = 3;
        expected[3] = 1;
        System.arraycopy(file, 0, expected, 4, 512);
        assertArrayEquals(expected, sent.get(0));
    }

    @Test
    void onlyUnknownOptionsAlsoMeansData1() throws Exception {
        ReadTransfer t = transfer(randomFile(100), options("multicast", "", "rollover", "0"), 3);
        t.start();
        TftpPacket.Data data = assertInstanceOf(TftpPacket.Data.class, drain().get(0));
        assertEquals(1, data.block());
        assertEquals(100, data.payload().length);
    }

    @Test
    void oackCarriesOnlyTheOptionsAsked() throws Exception {
        ReadTransfer t = transfer(randomFile(5000), options("blksize", "1024", "unknownopt", "7"), 3);
        t.start();
        byte[] expected = {0, 6, 'b', 'l', 'k', 's', 'i', 'z', 'e', 0, '1', '0', '2', '4', 0};
        assertArrayEquals(expected, sent.get(0));

        sent.clear();
        transfer(randomFile(5000), options("tsize", "0", "windowsize", "4"), 3).start();
        TftpPacket.OptionAck oack = assertInstanceOf(TftpPacket.OptionAck.class, drain().get(0));
        assertEquals(Map.of("tsize", "5000", "windowsize", "4"), oack.options());
    }

    @Test
    void blksizeIsCappedAtTheEthernetLimitAndTinyValuesAreIgnored() throws Exception {
        TransferOptions big = TransferOptions.negotiate(options("blksize", "65464"), 10, 1000);
        assertEquals(1468, big.blockSize());
        assertEquals("1468", big.oack().get("blksize"));
        TransferOptions tiny = TransferOptions.negotiate(options("blksize", "7"), 10, 1000);
        assertEquals(512, tiny.blockSize());
        assertTrue(tiny.oack().isEmpty());
        TransferOptions garbage = TransferOptions.negotiate(options("blksize", "12x"), 10, 1000);
        assertTrue(garbage.oack().isEmpty());
        TransferOptions timeout = TransferOptions.negotiate(options("timeout", "3"), 10, 1000);
        assertEquals(3000, timeout.timeoutMillis());
    }

    @Test
    void dataFollowsAckOfOackAndFileEndsWithShortBlock() throws Exception {
        byte[] file = randomFile(1024); // an exact multiple: RFC 1350 needs a final empty DATA
        ReadTransfer t = transfer(file, options("blksize", "512"), 3);
        t.start();
        drain();
        t.onPacket(ack(0));
        assertEquals(List.of(1), dataBlocks());
        t.onPacket(ack(1));
        t.onPacket(ack(2));
        List<TftpPacket> last = drain();
        assertEquals(2, last.size());
        assertEquals(0, ((TftpPacket.Data) last.get(1)).payload().length);
        assertEquals(ReadTransfer.Outcome.COMPLETE, t.onPacket(ack(3)));
    }

    @Test
    void duplicateAckIsNeverAnsweredWithARetransmission() throws Exception {
        ReadTransfer t = transfer(randomFile(512 * 5), Map.of(), 3);
        t.start();
        t.onPacket(ack(1));
        assertEquals(List.of(1, 2), dataBlocks());
        // the Sorcerer's Apprentice: a delayed duplicate of ACK 1 must not make us send DATA 2 twice
        assertEquals(ReadTransfer.Outcome.RUNNING, t.onPacket(ack(1)));
        assertTrue(sent.isEmpty());
        t.onPacket(ack(2));
        assertEquals(List.of(3), dataBlocks());
    }

    @Test
    void timeoutRetransmitsTheWholeWindowThenGivesUp() throws Exception {
        ReadTransfer t = transfer(randomFile(512 * 10), options("windowsize", "4"), 2);
        t.start();
        drain();
        t.onPacket(ack(0));
        assertEquals(List.of(1, 2, 3, 4), dataBlocks());
        t.onTimeout();
        assertEquals(List.of(1, 2, 3, 4), dataBlocks());
        t.onTimeout();
        assertEquals(List.of(1, 2, 3, 4), dataBlocks());
        assertEquals(ReadTransfer.Outcome.TIMED_OUT, t.onTimeout());
        assertTrue(sent.isEmpty());
    }

    @Test
    void timeoutBeforeAckOfOackResendsTheOack() throws Exception {
        ReadTransfer t = transfer(randomFile(100), options("blksize", "1468"), 2);
        t.start();
        byte[] oack = sent.get(0);
        sent.clear();
        t.onTimeout();
        assertArrayEquals(oack, sent.get(0));
    }

    @Test
    void ackOfAnEarlierBlockRestartsTheWindowAfterIt() throws Exception {
        ReadTransfer t = transfer(randomFile(512 * 10), options("windowsize", "4"), 3);
        t.start();
        drain();
        t.onPacket(ack(0));
        assertEquals(List.of(1, 2, 3, 4), dataBlocks());
        // RFC 7440 §4: the client lost block 3 and acknowledges 2
        t.onPacket(ack(2));
        assertEquals(List.of(3, 4, 5, 6), dataBlocks());
        t.onPacket(ack(2)); // its duplicate: ignored
        assertTrue(sent.isEmpty());
        t.onPacket(ack(6));
        assertEquals(List.of(7, 8, 9, 10), dataBlocks());
        t.onPacket(ack(10));
        assertEquals(List.of(11), dataBlocks()); // the empty final block
        assertEquals(ReadTransfer.Outcome.COMPLETE, t.onPacket(ack(11)));
    }

    @Test
    void ackFromOutsideTheWindowIsIgnored() throws Exception {
        ReadTransfer t = transfer(randomFile(512 * 10), options("windowsize", "4"), 3);
        t.start();
        t.onPacket(ack(0));
        drain();
        assertEquals(ReadTransfer.Outcome.RUNNING, t.onPacket(ack(9)));
        assertTrue(sent.isEmpty());
    }

    /** A client that acknowledges every window's last block; returns the file it reassembled. */
    private byte[] receiveAll(ReadTransfer t, int window) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        t.start();
        List<TftpPacket> packets = drain();
        if (packets.get(0) instanceof TftpPacket.OptionAck) {
            t.onPacket(ack(0));
            packets = drain();
        }
        int expected = 1;
        List<Integer> wireNumbers = new ArrayList<>();
        while (t.outcome() == ReadTransfer.Outcome.RUNNING) {
            int last = -1;
            for (TftpPacket p : packets) {
                TftpPacket.Data d = (TftpPacket.Data) p;
                assertEquals(expected & 0xFFFF, d.block());
                wireNumbers.add(d.block());
                received.writeBytes(d.payload());
                expected++;
                last = d.block();
            }
            assertTrue(packets.size() <= window);
            t.onPacket(ack(last));
            packets = drain();
        }
        assertTrue(wireNumbers.size() > 65536, "the test must cross the rollover");
        int wrap = wireNumbers.indexOf(65535);
        assertEquals(0, wireNumbers.get(wrap + 1));
        assertEquals(1, wireNumbers.get(wrap + 2));
        return received.toByteArray();
    }

    @Test
    void blockNumbersWrapFrom65535ToZero() throws Exception {
        byte[] file = randomFile(8 * 70_000 + 3); // 70001 blocks of 8 bytes: crosses 65535
        ReadTransfer t = transfer(file, options("blksize", "8"), 3);
        assertArrayEquals(file, receiveAll(t, 1));
        assertEquals(ReadTransfer.Outcome.COMPLETE, t.outcome());
    }

    @Test
    void windowedTransferWrapsToo() throws Exception {
        byte[] file = randomFile(8 * 70_000); // exact multiple, window crosses the wrap
        ReadTransfer t = transfer(file, options("blksize", "8", "windowsize", "16"), 3);
        assertArrayEquals(file, receiveAll(t, 16));
        assertEquals(ReadTransfer.Outcome.COMPLETE, t.outcome());
    }

    @Test
    void tsizeProbeEndedByError8IsAProbe() throws Exception {
        ReadTransfer t = transfer(randomFile(12345), options("tsize", "0"), 3);
        t.start();
        TftpPacket.OptionAck oack = assertInstanceOf(TftpPacket.OptionAck.class, drain().get(0));
        assertEquals(Map.of("tsize", "12345"), oack.options());
        assertEquals(ReadTransfer.Outcome.PROBED, t.onPacket(error(8, "")));
        assertTrue(sent.isEmpty());
    }

    @Test
    void errorDuringDataIsAnAbortNotAProbe() throws Exception {
        ReadTransfer t = transfer(randomFile(5000), options("tsize", "0"), 3);
        t.start();
        t.onPacket(ack(0));
        assertEquals(ReadTransfer.Outcome.CLIENT_ABORTED, t.onPacket(error(0, "disk full")));
        assertEquals("disk full", t.clientError().message());
    }

    @Test
    void strayPacketsDoNotDisturbTheTransfer() throws Exception {
        ReadTransfer t = transfer(randomFile(2000), Map.of(), 3);
        t.start();
        drain();
        t.onPacket(TftpPacket.parse(TftpPacket.encode(new TftpPacket.Data(1, new byte[3]))));
        assertTrue(sent.isEmpty());
        t.onPacket(ack(1));
        assertEquals(List.of(2), dataBlocks());
    }

    @Test
    void emptyFileIsOneEmptyBlock() throws Exception {
        ReadTransfer t = transfer(new byte[0], Map.of(), 3);
        t.start();
        TftpPacket.Data d = assertInstanceOf(TftpPacket.Data.class, drain().get(0));
        assertEquals(0, d.payload().length);
        assertEquals(ReadTransfer.Outcome.COMPLETE, t.onPacket(ack(1)));
        assertTrue(Arrays.equals(new byte[0], d.payload()));
    }

    @Test
    void fileThatShrinksAbortsWithAnIOException() {
        byte[] file = randomFile(2000);
        TransferOptions options = TransferOptions.negotiate(Map.of(), 4000, 1000);
        ReadTransfer t = new ReadTransfer(options, 4000, (offset, dst) -> {
            if (offset >= file.length) return -1;
            int n = (int) Math.min(dst.remaining(), file.length - offset);
            dst.put(file, (int) offset, n);
            return n;
        }, new ReadTransfer.Datagrams() {
            @Override
            public void send(ByteBuffer datagram) { }

            @Override
            public void sendData(ByteBuffer header, ByteBuffer payload) { }
        }, 3);
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
            t.start();
            for (int b = 1; b <= 8; b++) t.onPacket(ack(b));
        });
    }
}
