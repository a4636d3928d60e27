package org.netroot.server.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import org.netroot.server.service.InputErrors;

/**
 * Drives one {@link ReadTransfer} over its own UDP socket: the transfer ID of RFC 1350 §4 is this
 * socket's ephemeral port, and the socket is connected to the client's, so the kernel drops
 * packets from anyone else. Runs on its own thread; waiting on its own selector with a deadline
 * gives the retransmission timeout without a timer thread.
 */
final class TransferSession implements Runnable, ActiveTransfer {

    private final DatagramChannel channel;
    private final FileChannel file;
    private final InetSocketAddress peer;
    private final String filename;
    private final ReadTransfer transfer;
    private final InputErrors errors;
    private final ActiveTransfer.End finish;
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private volatile Selector selector;
    private SelectionKey key;
    private long datagramsSent;

    TransferSession(DatagramChannel channel, FileChannel file, ReadTransfer.FileBlocks blocks, InetSocketAddress peer,
                    String filename, TransferOptions options, long fileSize, int retries, InputErrors errors, ActiveTransfer.End finish) {
        this.channel = channel;
        this.file = file;
        this.peer = peer;
        this.filename = filename;
        this.errors = errors;
        this.finish = finish;
        this.transfer = new ReadTransfer(options, fileSize, blocks, new ReadTransfer.Datagrams() {
            @Override
            public void send(ByteBuffer datagram) throws IOException {
                while (channel.write(datagram) == 0) awaitWritable();
                datagramsSent++;
            }

            @Override
            public void sendData(ByteBuffer header, ByteBuffer payload) throws IOException {
                gather[0] = header;
                gather[1] = payload;
                // one writev on a connected UDP socket: one datagram, no copy
                while (channel.write(gather) == 0 && header.hasRemaining()) awaitWritable();
                datagramsSent++;
            }
        }, retries);
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        ReadTransfer.Outcome outcome = ReadTransfer.Outcome.RUNNING;
        IOException failure = null;
        try (Selector opened = Selector.open()) {
            selector = opened;
            // non-blocking + a selector of its own: one epoll_wait and one recv per ACK, where a blocking
            // read with a timeout costs the JDK extra fcntl/poll calls on every packet
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer received = ByteBuffer.allocate(1024);
            long timeout = transfer.timeoutMillis();
            outcome = transfer.start();
            long deadline = System.nanoTime() + timeout * 1_000_000;
            while (outcome == ReadTransfer.Outcome.RUNNING) {
                received.clear();
                if (channel.read(received) <= 0) {
                    long waitMillis = (deadline - System.nanoTime()) / 1_000_000;
                    if (waitMillis <= 0) {
                        outcome = transfer.onTimeout();
                        deadline = System.nanoTime() + timeout * 1_000_000;
                        continue;
                    }
                    selector.select(waitMillis);
                    selector.selectedKeys().clear();
                    if (!channel.isOpen()) throw new ClosedChannelException();
                    continue;
                }
                TftpPacket packet;
                try {
                    packet = TftpPacket.parse(received.flip());
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
        finish.finished(this, peer, filename, transfer, outcome, failure, System.nanoTime() - started);
    }

    /** A full socket send buffer refuses a non-blocking datagram (returns 0): wait, never drop it. */
    private void awaitWritable() throws IOException {
        key.interestOps(SelectionKey.OP_WRITE);
        selector.select(1000);
        selector.selectedKeys().clear();
        key.interestOps(SelectionKey.OP_READ);
        if (!channel.isOpen()) throw new ClosedChannelException();
    }

    @Override
    public boolean clientAcknowledged() {
        return transfer.clientAcknowledged();
    }

    @Override
    public void close() {
        Selector waiting = selector;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        if (waiting != null) waiting.wakeup(); // the transfer thread may sit in select() for up to its timeout
        try {
            file.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
