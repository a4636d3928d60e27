package org.netroot.server.dhcp;

import org.netroot.server.boot.IpxeBinaries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
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

    /**
     * Beyond the codec: the proxy responder fed damaged PXE requests (every firmware kind, ports 67
     * and 4011) answers or drops them; it never throws and never fails inside (which it would record
     * as an ERROR event "not answered"), and every answer it gives can be encoded.
     */
    @Property(tries = 1000)
    void theProxyResponderAnswersOrDropsDamagedRequests(@ForAll("damagedPxeRequests") byte[] input,
                                                      @ForAll boolean bootServerPort) throws Exception {
        RecordedEvents events = new RecordedEvents();
        Optional<DhcpReply> reply = proxyResponder(events).handle(ByteBuffer.wrap(input),
                new Arrival(ProxyDhcpTest.BR0, bootServerPort ? 4011 : 67, new InetSocketAddress("0.0.0.0", 68)));
        reply.ifPresent(r -> assertTrue(r.packet().encode().length >= DhcpPacket.MIN_REPLY_LENGTH));
        // an ERROR "no boot file for this architecture" is an answer; "not answered: <exception>" is a crash
        assertEquals(List.of(), events.events.stream().filter(e -> e.type() == BootEventType.ERROR
                && e.detail().contains("not answered")).map(e -> e.detail()).toList(), "the responder failed inside");
    }

    private static DhcpResponder proxyResponder(RecordedEvents events) throws Exception {
        if (ipxeDir == null) {
            ipxeDir = Files.createTempDirectory("ipxe");
            for (String f : List.of("undionly.kpxe", "snponly.efi", "ipxe.efi")) {
                Files.write(ipxeDir.resolve(f), new byte[1]);
                ipxeDir.resolve(f).toFile().deleteOnExit();
            }
            ipxeDir.toFile().deleteOnExit();
        }
        BootFileChooser chooser = new BootFileChooser(IpxeBinaries.scan(ipxeDir), 80);
        return new DhcpResponder(DhcpMode.PROXY, new ProxyDhcpResponder(chooser, events, 67, 4011), null, events,
                new PeerDirectory(), new InputErrors(), 4011);
    }

    private static Path ipxeDir;

    @Provide
    Arbitrary<byte[]> damagedPxeRequests() {
        String mac = "52:54:00:00:00:01";
        Arbitrary<byte[]> valid = Arbitraries.of(1, 3).flatMap(type -> Arbitraries.of(
                ClientPackets.biosFirmware(mac, type).bytes(), ClientPackets.biosIpxeRom(mac, type).bytes(),
                ClientPackets.ovmfX64(mac, type).bytes(), ClientPackets.arm64(mac, type).bytes(),
                ClientPackets.ipxeEfi(mac, type).bytes(), ClientPackets.httpBoot(mac, type).bytes(),
                ClientPackets.plainLinux(mac, type).bytes()));
        return Mutations.of(valid);
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
