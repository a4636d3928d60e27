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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.testing.Mutations;
import org.netroot.server.testing.RandomInputs;
import org.netroot.server.testing.Tries;

/**
 * The DHCP codec on random and damaged packets: anything from the network is either a packet or a
 * {@link MalformedDhcpPacketException} (dropped and counted), never another exception that would
 * reach the event loop; and what we encode parses back to the same packet. Each property runs on
 * {@link Tries}'s seeded random inputs.
 */
class DhcpPacketPropertyTest {
    @Test
    void randomBytesAreAPacketOrMalformed() {
        Tries.run("randomBytesAreAPacketOrMalformed", 1000, r -> parseOrMalformed(RandomInputs.bytes(r, 700)));
    }

    /** A valid header and cookie with random options behind them: the options parser gets the random part. */
    @Test
    void randomOptionsAreAPacketOrMalformed() {
        Tries.run("randomOptionsAreAPacketOrMalformed", 1000, r -> {
            byte[] head = packet(r).encode();
            byte[] options = RandomInputs.bytes(r, 400);
            byte[] input = new byte[DhcpPacket.FIXED_HEADER + 4 + options.length];
            System.arraycopy(head, 0, input, 0, DhcpPacket.FIXED_HEADER + 4);
            System.arraycopy(options, 0, input, DhcpPacket.FIXED_HEADER + 4, options.length);
            parseOrMalformed(input);
        });
    }

    @Test
    void damagedPacketsAreAPacketOrMalformed() {
        Tries.run("damagedPacketsAreAPacketOrMalformed", 1000, r -> parseOrMalformed(Mutations.of(packet(r).encode(), r)));
    }

    @Test
    void encodeThenParseGivesThePacketBack() {
        Tries.run("encodeThenParseGivesThePacketBack", 1000, r -> {
            DhcpPacket p = packet(r);
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
        });
    }

    /**
     * Beyond the codec: the proxy responder fed damaged PXE requests (every firmware kind, ports 67
     * and 4011) answers or drops them; it never throws and never fails inside (which it would record
     * as an ERROR event "not answered"), and every answer it gives can be encoded.
     */
    @Test
    void theProxyResponderAnswersOrDropsDamagedRequests() {
        Tries.run("theProxyResponderAnswersOrDropsDamagedRequests", 1000, r -> {
            byte[] input = damagedPxeRequest(r);
            boolean bootServerPort = r.nextBoolean();
            RecordedEvents events = new RecordedEvents();
            Optional<DhcpReply> reply = proxyResponder(events).handle(ByteBuffer.wrap(input),
                    new Arrival(ProxyDhcpTest.BR0, bootServerPort ? 4011 : 67, new InetSocketAddress("0.0.0.0", 68)));
            reply.ifPresent(p -> assertTrue(p.packet().encode().length >= DhcpPacket.MIN_REPLY_LENGTH));
            // an ERROR "no boot file for this architecture" is an answer; "not answered: <exception>" is a crash
            assertEquals(List.of(), events.events.stream().filter(e -> e.type() == BootEventType.ERROR
                    && e.detail().contains("not answered")).map(e -> e.detail()).toList(), "the responder failed inside");
        });
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

    private static byte[] damagedPxeRequest(Random r) {
        String mac = "52:54:00:00:00:01";
        int type = RandomInputs.oneOf(r, 1, 3);
        byte[] valid = switch (r.nextInt(7)) {
            case 0 -> ClientPackets.biosFirmware(mac, type).bytes();
            case 1 -> ClientPackets.biosIpxeRom(mac, type).bytes();
            case 2 -> ClientPackets.ovmfX64(mac, type).bytes();
            case 3 -> ClientPackets.arm64(mac, type).bytes();
            case 4 -> ClientPackets.ipxeEfi(mac, type).bytes();
            case 5 -> ClientPackets.httpBoot(mac, type).bytes();
            default -> ClientPackets.plainLinux(mac, type).bytes();
        };
        return Mutations.of(valid, r);
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

    private static Inet4Address address(Random r) {
        byte[] four = new byte[4];
        r.nextBytes(four);
        return DhcpPacket.ipv4(four);
    }

    static DhcpPacket packet(Random r) {
        DhcpOptions.Builder options = DhcpOptions.builder();
        RandomInputs.map(r, 12, k -> RandomInputs.between(k, 1, 254), v -> RandomInputs.bytes(v, 600)).forEach(options::put);
        byte[] chaddr = new byte[16];
        r.nextBytes(chaddr);
        return new DhcpPacket(RandomInputs.oneOf(r, DhcpPacket.BOOTREQUEST, DhcpPacket.BOOTREPLY),
                RandomInputs.between(r, 0, 255), RandomInputs.between(r, 0, 16), RandomInputs.between(r, 0, 255),
                RandomInputs.anyInt(r), RandomInputs.between(r, 0, 0xffff), RandomInputs.between(r, 0, 0xffff),
                address(r), address(r), address(r), address(r), chaddr,
                RandomInputs.string(r, (char) 1, (char) 127, 0, DhcpPacket.SNAME_LENGTH - 1),
                RandomInputs.string(r, (char) 1, (char) 127, 0, DhcpPacket.FILE_LENGTH - 1), options.build());
    }
}
