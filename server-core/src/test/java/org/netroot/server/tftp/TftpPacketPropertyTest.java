package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.netroot.server.testing.Mutations;
import org.netroot.server.testing.RandomInputs;
import org.netroot.server.testing.Tries;

/**
 * The TFTP codec on random and damaged datagrams: a packet or a {@link MalformedPacketException}
 * (dropped, counted, never answered), nothing else; and every packet we encode parses back equal.
 * Each property runs on {@link Tries}'s seeded random inputs.
 */
class TftpPacketPropertyTest {
    @Test
    void randomDatagramsAreAPacketOrMalformed() {
        Tries.run("randomDatagramsAreAPacketOrMalformed", 1000, r -> parseOrMalformed(RandomInputs.bytes(r, 600)));
    }

    /** Random bytes behind each opcode: the body parsers get the random part. */
    @Test
    void randomBodiesAreAPacketOrMalformed() {
        Tries.run("randomBodiesAreAPacketOrMalformed", 1000, r -> {
            int opcode = r.nextInt(9);
            byte[] body = RandomInputs.bytes(r, 300);
            ByteBuffer b = ByteBuffer.allocate(2 + body.length).putShort((short) opcode).put(body);
            parseOrMalformed(b.array());
        });
    }

    @Test
    void damagedPacketsAreAPacketOrMalformed() {
        Tries.run("damagedPacketsAreAPacketOrMalformed", 1000, r -> parseOrMalformed(damaged(r)));
    }

    @Test
    void encodeThenParseGivesThePacketBack() {
        Tries.run("encodeThenParseGivesThePacketBack", 1000, r -> {
            TftpPacket packet = packet(r);
            ByteBuffer wire = TftpPacket.encode(packet);
            TftpPacket back = TftpPacket.parse(wire);
            if (packet instanceof TftpPacket.Data d) {
                TftpPacket.Data got = assertInstanceOf(TftpPacket.Data.class, back);
                assertEquals(d.block(), got.block());
                assertArrayEquals(d.payload(), got.payload());
            } else {
                assertEquals(packet, back);
            }
            assertEquals(0, wire.position(), "parse leaves the buffer's position alone");
        });
    }

    /** Whatever options a read request carries, negotiation stays within what we serve and never throws. */
    @Test
    void anyRequestedOptionsNegotiateWithinOurLimits() {
        Tries.run("anyRequestedOptionsNegotiateWithinOurLimits", 1000, r -> {
            Map<String, String> requested = requestedOptions(r);
            long fileSize = RandomInputs.between(r, 0L, 1L << 40);
            TransferOptions o = TransferOptions.negotiate(requested, fileSize, 1000);
            assertTrue(o.blockSize() >= TransferOptions.MIN_BLOCK_SIZE && o.blockSize() <= TransferOptions.MAX_BLOCK_SIZE,
                    "blksize " + o.blockSize());
            assertTrue(o.windowSize() >= 1 && o.windowSize() <= TransferOptions.MAX_WINDOW_SIZE, "windowsize " + o.windowSize());
            assertTrue(o.timeoutMillis() == 1000 || o.timeoutMillis() >= 1000 && o.timeoutMillis() <= TransferOptions.MAX_TIMEOUT_SECONDS * 1000L,
                    "timeout " + o.timeoutMillis());
            assertTrue(requested.keySet().containsAll(o.oack().keySet()), "the OACK only answers what was asked: " + o.oack());
            if (o.sendsOack()) TftpPacket.encode(new TftpPacket.OptionAck(o.oack()));
        });
    }

    private static Map<String, String> requestedOptions(Random r) {
        return RandomInputs.map(r, 6,
                k -> k.nextBoolean() ? RandomInputs.oneOf(k, "blksize", "windowsize", "timeout", "tsize")
                        : RandomInputs.string(k, 'a', 'z', 1, 10),
                v -> switch (v.nextInt(3)) {
                    case 0 -> Long.toString(RandomInputs.between(v, -100L, 100_000L));
                    case 1 -> RandomInputs.string(v, '0', '9', 0, 25);
                    default -> RandomInputs.string(v, (char) 1, (char) 0x7f, 0, 12);
                });
    }

    private static void parseOrMalformed(byte[] datagram) {
        try {
            TftpPacket.parse(ByteBuffer.wrap(datagram));
        } catch (MalformedPacketException expected) {
            // dropped and counted
        }
    }

    private static byte[] damaged(Random r) {
        ByteBuffer b = TftpPacket.encode(packet(r));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return Mutations.of(out, r);
    }

    /** no NUL (the terminator) and no lone surrogates (not UTF-8); option names are lower case as parse keeps them */
    private static String text(Random r) {
        return RandomInputs.string(r, (char) 1, (char) 0xd7ff, 0, 40);
    }

    private static Map<String, String> options(Random r) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(RandomInputs.map(r, 6,
                k -> RandomInputs.string(k, 'a', 'z', 1, 12), TftpPacketPropertyTest::text)));
    }

    static TftpPacket packet(Random r) {
        int block = RandomInputs.between(r, 0, 0xffff);
        return switch (r.nextInt(6)) {
            case 0 -> new TftpPacket.ReadRequest(RandomInputs.string(r, (char) 1, (char) 0xd7ff, 1, 40),
                    RandomInputs.oneOf(r, "octet", "netascii", "mail"), options(r));
            case 1 -> new TftpPacket.WriteRequest(RandomInputs.string(r, (char) 1, (char) 0xd7ff, 1, 40),
                    RandomInputs.oneOf(r, "octet", "netascii", "mail"), options(r));
            case 2 -> new TftpPacket.Data(block, RandomInputs.bytes(r, 1468));
            case 3 -> new TftpPacket.Ack(block);
            case 4 -> new TftpPacket.Error(block, text(r));
            default -> new TftpPacket.OptionAck(options(r));
        };
    }
}
