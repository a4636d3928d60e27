package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/**
 * One request socket per address: a transfer answers from the address its request came to (a
 * client on one network must not get DATA from our address on another, it would drop it).
 */
class TftpBindTest {
    @TempDir Path root;

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void eachTransferAnswersFromTheAddressItsRequestCameTo(boolean epoll) throws Exception {
        Files.write(root.resolve("undionly.kpxe"), new byte[700]);
        InetAddress first = InetAddress.getByName("127.0.0.1");
        InetAddress second = InetAddress.getByName("127.0.0.2"); // on lo too (Linux routes 127/8 there)
        // no retransmission here: a block sent again because an ACK came late (at 200 ms, any stall of a loaded
        // machine) would sit in the client's socket and be read as the answer to its next request
        TftpSettings settings = new TftpSettings(List.of(first, second), 0, List.of(root), Duration.ofSeconds(5), 1);
        TftpService service = new TftpService(settings, BootEventSink.NONE, new PeerDirectory(), new InputErrors(),
                epoll && io.netty.channel.epoll.Epoll.isAvailable());
        service.start();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(first, 0))) {
            client.setSoTimeout(3000);
            for (InetAddress to : List.of(second, first)) {
                byte[] rrq = readRequest("undionly.kpxe");
                client.send(new DatagramPacket(rrq, rrq.length, new InetSocketAddress(to, service.port())));
                DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                client.receive(reply);
                assertEquals(to, reply.getAddress(), "the answer to a request sent to " + to.getHostAddress());
                assertEquals(3, ByteBuffer.wrap(reply.getData()).getShort(), "DATA");
                byte[] ack = {0, 4, 0, 1}; // block 1 of 700 bytes at blksize 512: one more to go, then done
                client.send(new DatagramPacket(ack, ack.length, reply.getSocketAddress()));
                client.receive(reply);
                byte[] last = {0, 4, 0, 2};
                client.send(new DatagramPacket(last, last.length, reply.getSocketAddress()));
            }
        } finally {
            service.stop();
        }
    }

    private static byte[] readRequest(String file) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putShort((short) 1).put(file.getBytes()).put((byte) 0).put("octet".getBytes()).put((byte) 0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
