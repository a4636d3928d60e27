package org.netroot.server.tftp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A byte-level UDP peer on loopback for tests that need exact packets (and broken ones). */
final class RawTftpPeer implements AutoCloseable {
    record Received(TftpPacket packet, InetSocketAddress from) { }

    final DatagramSocket socket;

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

    Received receive() throws Exception {
        byte[] buffer = new byte[70000];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        socket.receive(p);
        return new Received(TftpPacket.parse(ByteBuffer.wrap(buffer, 0, p.getLength())), (InetSocketAddress) p.getSocketAddress());
    }

    /** Null when nothing arrives within the given time. */
    Received receiveWithin(int millis) throws Exception {
        socket.setSoTimeout(millis);
        try {
            return receive();
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
