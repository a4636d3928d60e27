package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.netroot.server.testing.Mutations;

/**
 * The TFTP codec on random and damaged datagrams: a packet or a {@link MalformedPacketException}
 * (dropped, counted, never answered), nothing else; and every packet we encode parses back equal.
 */
class TftpPacketPropertyTest {
    @Property(tries = 1000)
    void randomDatagramsAreAPacketOrMalformed(@ForAll @Size(max = 600) byte[] datagram) {
        parseOrMalformed(datagram);
    }

    /** Random bytes behind each opcode: the body parsers get the random part. */
    @Property(tries = 1000)
    void randomBodiesAreAPacketOrMalformed(@ForAll("opcodes") int opcode, @ForAll @Size(max = 300) byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(2 + body.length).putShort((short) opcode).put(body);
        parseOrMalformed(b.array());
    }

    @Property(tries = 1000)
    void damagedPacketsAreAPacketOrMalformed(@ForAll("damaged") byte[] datagram) {
        parseOrMalformed(datagram);
    }

    @Property(tries = 1000)
    void encodeThenParseGivesThePacketBack(@ForAll("packets") TftpPacket packet) throws MalformedPacketException {
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
    }

    /** Whatever options a read request carries, negotiation stays within what we serve and never throws. */
    @Property(tries = 1000)
    void anyRequestedOptionsNegotiateWithinOurLimits(@ForAll("requestedOptions") Map<String, String> requested,
                                                      @ForAll @net.jqwik.api.constraints.LongRange(max = 1L << 40) long fileSize) {
        TransferOptions o = TransferOptions.negotiate(requested, fileSize, 1000);
        assertTrue(o.blockSize() >= TransferOptions.MIN_BLOCK_SIZE && o.blockSize() <= TransferOptions.MAX_BLOCK_SIZE,
                "blksize " + o.blockSize());
        assertTrue(o.windowSize() >= 1 && o.windowSize() <= TransferOptions.MAX_WINDOW_SIZE, "windowsize " + o.windowSize());
        assertTrue(o.timeoutMillis() == 1000 || o.timeoutMillis() >= 1000 && o.timeoutMillis() <= TransferOptions.MAX_TIMEOUT_SECONDS * 1000L,
                "timeout " + o.timeoutMillis());
        assertTrue(requested.keySet().containsAll(o.oack().keySet()), "the OACK only answers what was asked: " + o.oack());
        if (o.sendsOack()) TftpPacket.encode(new TftpPacket.OptionAck(o.oack()));
    }

    @Provide
    Arbitrary<Map<String, String>> requestedOptions() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("blksize", "windowsize", "timeout", "tsize"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.longs().between(-100, 100_000).map(n -> Long.toString(n)),
                Arbitraries.strings().numeric().ofMaxLength(25),
                Arbitraries.strings().withCharRange((char) 1, (char) 0x7f).ofMaxLength(12));
        return Arbitraries.maps(names, values).ofMaxSize(6);
    }

    private static void parseOrMalformed(byte[] datagram) {
        try {
            TftpPacket.parse(ByteBuffer.wrap(datagram));
        } catch (MalformedPacketException expected) {
            // dropped and counted
        }
    }

    @Provide
    Arbitrary<Integer> opcodes() {
        return Arbitraries.integers().between(0, 8);
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        return Mutations.of(packets().map(p -> {
            ByteBuffer b = TftpPacket.encode(p);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }));
    }

    @Provide
    Arbitrary<TftpPacket> packets() {
        // no NUL (the terminator) and no lone surrogates (not UTF-8); names are lower case as parse keeps them
        Arbitrary<String> text = Arbitraries.strings().withCharRange((char) 1, (char) 0xd7ff).ofMaxLength(40);
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<Map<String, String>> options = Arbitraries.maps(name, text).ofMaxSize(6)
                .map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        Arbitrary<String> filename = text.filter(s -> !s.isEmpty());
        Arbitrary<String> mode = Arbitraries.of("octet", "netascii", "mail");
        Arbitrary<Integer> block = Arbitraries.integers().between(0, 0xffff);
        return Arbitraries.oneOf(
                Combinators.combine(filename, mode, options).as(TftpPacket.ReadRequest::new),
                Combinators.combine(filename, mode, options).as(TftpPacket.WriteRequest::new),
                Combinators.combine(block, Arbitraries.bytes().array(byte[].class).ofMaxSize(1468)).as(TftpPacket.Data::new),
                block.map(TftpPacket.Ack::new),
                Combinators.combine(block, text).as(TftpPacket.Error::new),
                options.map(TftpPacket.OptionAck::new));
    }
}
