package org.netroot.app.ui.services;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A minimal TFTP reader (RFC 1350, no options: 512-byte blocks, lock-step): what a PXE ROM does. */
final class TftpRead {
    private TftpRead() {
    }

    static byte[] fetch(int port, String file) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(3000);
            byte[] rrq = request(file);
            socket.send(new DatagramPacket(rrq, rrq.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int expected = 1;
            while (true) {
                DatagramPacket p = new DatagramPacket(new byte[516], 516);
                socket.receive(p);
                ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                int opcode = b.getShort();
                if (opcode == 5) throw new IOException("TFTP ERROR " + b.getShort() + ": " + text(b));
                if (opcode != 3) throw new IOException("not DATA: opcode " + opcode);
                int block = b.getShort() & 0xffff;
                if (block == expected) {
                    out.write(p.getData(), 4, p.getLength() - 4);
                    expected++;
                }
                ack(socket, block, p.getSocketAddress());
                if (block == expected - 1 && p.getLength() - 4 < 512) return out.toByteArray();
            }
        }
    }

    private static void ack(DatagramSocket socket, int block, SocketAddress to) throws IOException {
        byte[] ack = {0, 4, (byte) (block >> 8), (byte) block};
        socket.send(new DatagramPacket(ack, ack.length, to));
    }

    private static byte[] request(String file) {
        ByteBuffer b = ByteBuffer.allocate(256);
        b.putShort((short) 1).put(file.getBytes(StandardCharsets.US_ASCII)).put((byte) 0)
                .put("octet".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static String text(ByteBuffer b) {
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        return new String(rest, StandardCharsets.US_ASCII).replace("\0", "");
    }
}
