package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.netroot.server.testing.Mutations;

/**
 * The DHCP codec on random and damaged packets: anything from the network is either a packet or a
 * {@link MalformedDhcpPacketException} (dropped and counted), never another exception that would
 * reach the event loop; and what we encode parses back to the same packet.
 */
class DhcpPacketPropertyTest {
    @Property(tries = 1000)
    void randomBytesAreAPacketOrMalformed(@ForAll @Size(max = 700) byte[] input) {
        parseOrMalformed(input);
    }

    /** A valid header and cookie with random options behind them: the options parser gets the random part. */
    @Property(tries = 1000)
    void randomOptionsAreAPacketOrMalformed(@ForAll("packets") DhcpPacket valid, @ForAll @Size(max = 400) byte[] options) {
        byte[] head = valid.encode();
        byte[] input = new byte[DhcpPacket.FIXED_HEADER + 4 + options.length];
        System.arraycopy(head, 0, input, 0, DhcpPacket.FIXED_HEADER + 4);
        System.arraycopy(options, 0, input, DhcpPacket.FIXED_HEADER + 4, options.length);
        parseOrMalformed(input);
    }

    @Property(tries = 1000)
    void damagedPacketsAreAPacketOrMalformed(@ForAll("damaged") byte[] input) {
        parseOrMalformed(input);
    }

    @Property(tries = 1000)
    void encodeThenParseGivesThePacketBack(@ForAll("packets") DhcpPacket p) throws MalformedDhcpPacketException {
        byte[] wire = p.encode();
        DhcpPacket back = DhcpPacket.parse(wire);
        assertEquals(List.of(p.op(), p.htype(), p.hlen(), p.hops(), p.xid(), p.secs(), p.flags()),
                List.of(back.op(), back.htype(), back.hlen(), back.hops(), back.xid(), back.secs(), back.flags()));
        assertEquals(List.of(p.ciaddr(), p.yiaddr(), p.siaddr(), p.giaddr(), p.sname(), p.file()),
                List.of(back.ciaddr(), back.yiaddr(), back.siaddr(), back.giaddr(), back.sname(), back.file()));
        assertArrayEquals(p.chaddr(), back.chaddr());
        assertEquals(p.options().asMap().keySet().stream().toList(), back.options().asMap().keySet().stream().toList());
        for (Map.Entry<Integer, byte[]> e : p.options().asMap().entrySet()) {
            assertArrayEquals(e.getValue(), back.options().bytes(e.getKey()), "option " + e.getKey());
        }
        // and the reply is as long as the oldest clients need
        assertEquals(true, wire.length >= DhcpPacket.MIN_REPLY_LENGTH);
    }

    private static void parseOrMalformed(byte[] input) {
        try {
            DhcpPacket p = DhcpPacket.parse(input);
            // what the responders read of every request must not throw either
            p.messageType();
            p.mac();
            p.toString();
        } catch (MalformedDhcpPacketException expected) {
            // dropped and counted
        }
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        return Mutations.of(packets().map(DhcpPacket::encode));
    }

    @Provide
    Arbitrary<DhcpPacket> packets() {
        Arbitrary<Inet4Address> address = Arbitraries.bytes().array(byte[].class).ofSize(4).map(DhcpPacket::ipv4);
        net.jqwik.api.arbitraries.StringArbitrary ascii = Arbitraries.strings().withCharRange((char) 1, (char) 127);
        Arbitrary<DhcpOptions> options = Arbitraries.maps(
                        Arbitraries.integers().between(1, 254),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(600))
                .ofMaxSize(12)
                .map(m -> {
                    DhcpOptions.Builder b = DhcpOptions.builder();
                    m.forEach(b::put);
                    return b.build();
                });
        return Builders.withBuilder(() -> new Object[15])
                .use(Arbitraries.of(DhcpPacket.BOOTREQUEST, DhcpPacket.BOOTREPLY)).in((a, v) -> set(a, 0, v))
                .use(Arbitraries.integers().between(0, 255)).in((a, v) -> set(a, 1, v))
                .use(Arbitraries.integers().between(0, 16)).in((a, v) -> set(a, 2, v))
                .use(Arbitraries.integers().between(0, 255)).in((a, v) -> set(a, 3, v))
                .use(Arbitraries.integers()).in((a, v) -> set(a, 4, v))
                .use(Arbitraries.integers().between(0, 0xffff)).in((a, v) -> set(a, 5, v))
                .use(Arbitraries.integers().between(0, 0xffff)).in((a, v) -> set(a, 6, v))
                .use(address).in((a, v) -> set(a, 7, v))
                .use(address).in((a, v) -> set(a, 8, v))
                .use(address).in((a, v) -> set(a, 9, v))
                .use(address).in((a, v) -> set(a, 10, v))
                .use(Arbitraries.bytes().array(byte[].class).ofSize(16)).in((a, v) -> set(a, 11, v))
                .use(ascii.ofMaxLength(DhcpPacket.SNAME_LENGTH - 1)).in((a, v) -> set(a, 12, v))
                .use(ascii.ofMaxLength(DhcpPacket.FILE_LENGTH - 1)).in((a, v) -> set(a, 13, v))
                .use(options).in((a, v) -> set(a, 14, v))
                .build(a -> new DhcpPacket((int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4], (int) a[5],
                        (int) a[6], (Inet4Address) a[7], (Inet4Address) a[8], (Inet4Address) a[9],
                        (Inet4Address) a[10], (byte[]) a[11], (String) a[12], (String) a[13], (DhcpOptions) a[14]));
    }

    private static Object[] set(Object[] a, int i, Object v) {
        a[i] = v;
        return a;
    }
}
