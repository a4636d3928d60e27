package org.netroot.server.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.netroot.server.service.InputErrors;

/**
 * Drives one {@link ReadTransfer} over its own UDP socket on a platform thread of its own: the
 * transfer ID of RFC 1350 §4 is this socket's ephemeral port, and the socket is connected to the
 * client's, so the kernel drops packets from anyone else.
 *
 * <p>The socket stays in blocking mode, so a lock-step block costs two system calls: the
 * {@code recvfrom} that waits for the ACK and the {@code writev} of the next DATA (an event loop
 * adds an {@code epoll_wait} per ACK; dnsmasq makes five calls per block). The retransmission
 * timeout cannot be a blocking read's timeout (the JDK has none for datagram channels), so a shared
 * {@code watchdog} thread checks the transfer when its deadline may have passed: the receiving
 * thread only notes the time of progress (no timer is moved per block), and the watchdog, finding
 * the deadline really passed, retransmits or gives up under the same lock the receiving thread takes
 * per packet. Giving up closes the socket, which wakes the blocked {@code recvfrom}.
 */
final class TransferSession implements Runnable, ActiveTransfer {

    private final DatagramChannel channel;
    private final FileChannel file;
    private final InetSocketAddress peer;
    private final String filename;
    private final ReadTransfer transfer;
    private final InputErrors errors;
    private final ActiveTransfer.End finish;
    private final ScheduledExecutorService watchdog;
    private final long timeoutNanos;
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private long datagramsSent;
    /** {@link System#nanoTime} of the last progress (a datagram sent); read by the watchdog */
    private volatile long progressAt;
    /** guarded by this: the watchdog's decision, when it ended the transfer */
    private ReadTransfer.Outcome outcome = ReadTransfer.Outcome.RUNNING;
    private IOException watchdogFailure;
    private ScheduledFuture<?> check;

    TransferSession(DatagramChannel channel, FileChannel file, ReadTransfer.FileBlocks blocks, InetSocketAddress peer,
                    String filename, TransferOptions options, long fileSize, int retries, InputErrors errors,
                    ScheduledExecutorService watchdog, ActiveTransfer.End finish) {
        this.channel = channel;
        this.file = file;
        this.peer = peer;
        this.filename = filename;
        this.errors = errors;
        this.finish = finish;
        this.watchdog = watchdog;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis());
        this.transfer = new ReadTransfer(options, fileSize, blocks, new ReadTransfer.Datagrams() {
            @Override
            public void send(ByteBuffer datagram) throws IOException {
                channel.write(datagram);
                datagramsSent++;
            }

            @Override
            public void sendData(ByteBuffer header, ByteBuffer payload) throws IOException {
                gather[0] = header;
                gather[1] = payload;
                channel.write(gather); // one writev on a connected UDP socket: one datagram, no copy
                datagramsSent++;
            }
        }, retries);
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        ReadTransfer.Outcome ended = ReadTransfer.Outcome.RUNNING;
        IOException failure = null;
        try {
            channel.configureBlocking(true);
            ByteBuffer received = ByteBuffer.allocate(1024);
            synchronized (this) {
                progressAt = System.nanoTime();
                outcome = transfer.start();
                if (outcome == ReadTransfer.Outcome.RUNNING) checkAfter(timeoutNanos);
            }
            while (ended == ReadTransfer.Outcome.RUNNING) {
                received.clear();
                channel.read(received); // blocks until the client's next datagram, or until closed
                TftpPacket packet;
                try {
                    packet = TftpPacket.parse(received.flip());
                } catch (MalformedPacketException e) {
                    errors.dropped("TFTP", peer, e.getMessage());
                    continue;
                }
                synchronized (this) {
                    if (outcome == ReadTransfer.Outcome.RUNNING) {
                        long sentBefore = datagramsSent;
                        outcome = transfer.onPacket(packet);
                        // only progress restarts the clock: a stream of stale ACKs must not keep a dead transfer alive
                        if (datagramsSent != sentBefore) progressAt = System.nanoTime();
                    }
                    ended = outcome;
                }
            }
        } catch (ClosedChannelException e) { // closed by the watchdog (it decided) or by the service (stopping)
            synchronized (this) {
                ended = outcome;
                failure = watchdogFailure;
            }
            if (ended == ReadTransfer.Outcome.RUNNING && failure == null) failure = new IOException("server stopped");
        } catch (IOException e) {
            failure = e;
            abortToClient();
        } catch (RuntimeException | Error e) { // the service must still hear of the end: its slot would leak
            failure = new IOException("transfer failed: " + e, e);
            abortToClient();
        } finally {
            close();
            finish.finished(this, peer, filename, transfer, ended, failure, System.nanoTime() - started);
        }
    }

    /** The watchdog's turn: retransmit or give up when no progress came for the whole timeout, else look again later. */
    private synchronized void checkProgress() {
        if (outcome != ReadTransfer.Outcome.RUNNING || !channel.isOpen()) return;
        long due = progressAt + timeoutNanos;
        long now = System.nanoTime();
        if (now - due < 0) {
            checkAfter(due - now);
            return;
        }
        try {
            outcome = transfer.onTimeout();
        } catch (IOException e) {
            watchdogFailure = e;
            abortToClient();
        } catch (RuntimeException | Error e) { // a boot file truncated under its memory map (SIGBUS: InternalError)
            watchdogFailure = new IOException("retransmission failed: " + e, e);
            abortToClient();
        }
        progressAt = now;
        if (outcome == ReadTransfer.Outcome.RUNNING && watchdogFailure == null) {
            checkAfter(timeoutNanos);
        } else {
            closeChannel(); // wakes the receiving thread, which reports the end
        }
    }

    /** Holding this lock. The watchdog refuses work only once the service stopped, which closes every transfer anyway. */
    private void checkAfter(long nanos) {
        try {
            check = watchdog.schedule(this::checkProgress, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closeChannel();
        }
    }

    /** Tells the client rather than let it time out (RFC 1350 §7). */
    private void abortToClient() {
        try {
            if (channel.isOpen()) channel.write(TftpPacket.encode(new TftpPacket.Error(TftpPacket.Error.NOT_DEFINED, "transfer aborted")));
        } catch (IOException ignored) {
            // the socket itself failed: the client will time out
        }
    }

    @Override
    public boolean clientAcknowledged() {
        return transfer.clientAcknowledged();
    }

    @Override
    public void close() {
        ScheduledFuture<?> pending;
        synchronized (this) {
            pending = check;
            check = null;
        }
        if (pending != null) pending.cancel(false);
        closeChannel();
        try {
            file.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    private void closeChannel() {
        try {
            channel.close(); // a thread blocked in read() gets AsynchronousCloseException
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
