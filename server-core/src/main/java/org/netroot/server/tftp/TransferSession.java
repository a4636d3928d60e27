package org.netroot.server.tftp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import org.netroot.server.service.InputErrors;

/**
 * Drives one {@link ReadTransfer} over its own UDP socket: the transfer ID of RFC 1350 §4 is this
 * socket's ephemeral port, and the socket is connected to the client's, so the kernel drops
 * packets from anyone else. Runs on its own thread; blocking reads with a deadline give the
 * retransmission timeout without a timer thread.
 */
final class TransferSession implements Runnable {

    /** What the service learns when the transfer ends (events, logs). */
    interface Finish {
        void finished(TransferSession session, ReadTransfer.Outcome outcome, IOException failure, long durationNanos);
    }

    private final DatagramChannel channel;
    private final FileChannel file;
    private final InetSocketAddress peer;
    private final String filename;
    private final ReadTransfer transfer;
    private final InputErrors errors;
    private final Finish finish;
    private long datagramsSent;

    TransferSession(DatagramChannel channel, FileChannel file, InetSocketAddress peer, String filename,
                    TransferOptions options, long fileSize, int retries, InputErrors errors, Finish finish) {
        this.channel = channel;
        this.file = file;
        this.peer = peer;
        this.filename = filename;
        this.errors = errors;
        this.finish = finish;
        this.transfer = new ReadTransfer(options, fileSize, (offset, dst) -> file.read(dst, offset), this::send, retries);
    }

    private void send(ByteBuffer datagram) throws IOException {
        channel.write(datagram);
        datagramsSent++;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        ReadTransfer.Outcome outcome = ReadTransfer.Outcome.RUNNING;
        IOException failure = null;
        try {
            DatagramSocket socket = channel.socket();
            byte[] buffer = new byte[1024];
            DatagramPacket received = new DatagramPacket(buffer, buffer.length);
            long timeout = transfer.timeoutMillis();
            outcome = transfer.start();
            long deadline = System.nanoTime() + timeout * 1_000_000;
            while (outcome == ReadTransfer.Outcome.RUNNING) {
                long waitMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (waitMillis <= 0) {
                    outcome = transfer.onTimeout();
                    deadline = System.nanoTime() + timeout * 1_000_000;
                    continue;
                }
                socket.setSoTimeout((int) Math.min(waitMillis, Integer.MAX_VALUE));
                try {
                    received.setLength(buffer.length);
                    socket.receive(received);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                TftpPacket packet;
                try {
                    packet = TftpPacket.parse(ByteBuffer.wrap(buffer, 0, received.getLength()));
                } catch (MalformedPacketException e) {
                    errors.dropped("TFTP", peer, e.getMessage());
                    continue;
                }
                long sentBefore = datagramsSent;
                outcome = transfer.onPacket(packet);
                // only progress restarts the clock: a stream of stale ACKs must not keep a dead transfer alive
                if (datagramsSent != sentBefore) deadline = System.nanoTime() + timeout * 1_000_000;
            }
        } catch (ClosedChannelException e) {
            failure = new IOException("server stopped");
        } catch (IOException e) {
            failure = e;
            try { // tell the client rather than let it time out (RFC 1350 §7)
                channel.write(TftpPacket.encode(new TftpPacket.Error(TftpPacket.Error.NOT_DEFINED, "transfer aborted")));
            } catch (IOException ignored) {
                // the socket itself failed: the client will time out
            }
        } finally {
            close();
        }
        finish.finished(this, outcome, failure, System.nanoTime() - started);
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        try {
            file.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    InetSocketAddress peer() {
        return peer;
    }

    String filename() {
        return filename;
    }

    ReadTransfer transfer() {
        return transfer;
    }
}
