package org.netroot.server.tftp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A byte-level UDP peer on loopback for tests that need exact packets (and broken ones). It reads
 * as a lock-step client does: a DATA block or OACK the server sends again because our ACK was late
 * (a busy machine, the service's short test timeout) is a retransmission, skipped rather than taken
 * for the next packet, as RFC 1350 clients do (and must not ACK again: the Sorcerer's Apprentice bug,
 * RFC 1123 §4.2.3.1). Tests about retransmission itself use {@link #receiveAny}.
 */
final class RawTftpPeer implements AutoCloseable {
    record Received(TftpPacket packet, InetSocketAddress from) { }

    final DatagramSocket socket;
    /** Per transfer (the server's TID): the last DATA block received, and whether an OACK came. */
    private final Map<InetSocketAddress, Integer> lastBlock = new HashMap<>();
    private final Set<InetSocketAddress> optionAcks = new HashSet<>();
    private int skipped;

    RawTftpPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5000);
    }

    void send(byte[] bytes, int port) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    void send(TftpPacket packet, int port) throws IOException {
        ByteBuffer b = TftpPacket.encode(packet);
        send(Arrays.copyOfRange(b.array(), 0, b.limit()), port);
    }

    /** The next packet that is not a retransmission of the one before it from the same transfer. */
    Received receive() throws Exception {
        while (true) {
            Received r = receiveAny();
            if (!retransmission(r)) return r;
            skipped++;
        }
    }

    /** Retransmissions skipped so far. */
    int skippedRetransmissions() {
        return skipped;
    }

    private boolean retransmission(Received r) {
        return switch (r.packet()) {
            case TftpPacket.Data d -> {
                Integer before = lastBlock.put(r.from(), d.block());
                yield before != null && before == d.block();
            }
            case TftpPacket.OptionAck o -> !optionAcks.add(r.from());
            default -> false;
        };
    }

    /** The next packet whatever it is, retransmissions included. */
    Received receiveAny() throws Exception {
        byte[] buffer = new byte[70000];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        socket.receive(p);
        return new Received(TftpPacket.parse(ByteBuffer.wrap(buffer, 0, p.getLength())), (InetSocketAddress) p.getSocketAddress());
    }

    /** Null when nothing but retransmissions arrives within the given time. */
    Received receiveWithin(int millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return null;
            Received r = receiveAnyWithin((int) left);
            if (r == null || !retransmission(r)) return r;
            skipped++;
        }
    }

    /** Null when nothing at all arrives within the given time. */
    Received receiveAnyWithin(int millis) throws Exception {
        socket.setSoTimeout(millis);
        try {
            return receiveAny();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
