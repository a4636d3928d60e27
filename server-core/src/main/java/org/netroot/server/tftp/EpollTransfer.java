package org.netroot.server.tftp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import org.netroot.server.service.InputErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link ReadTransfer} on a connected epoll datagram channel of its own (its TID).
 * Linux only, and there the fast path: a window's DATA packets leave in one UDP GSO send
 * (UDP_SEGMENT, one system call and one trip through the stack for up to {@link #MAX_SEGMENTS}
 * datagrams) or, without GSO, in one sendmmsg when the handler flushes.
 * {@link TransferSession} does the same job with plain NIO where epoll is not available.
 */
final class EpollTransfer extends ChannelInboundHandlerAdapter implements ReadTransfer.Datagrams, ActiveTransfer {
    /** GSO sends one IP packet of at most 64 KiB before segmentation: 40 full TFTP segments fit */
    static final int MAX_SEGMENTS = 40;
    /**
     * What one read takes from the client: an ACK is 4 bytes, an ERROR a few dozen; a longer datagram
     * (nothing a reading client sends) is cut here, which the parser reports like any malformed packet.
     */
    static final int RECEIVE_BUFFER = 1024;
    private static final Logger log = LoggerFactory.getLogger(EpollTransfer.class);

    private final InetSocketAddress peer;
    private final String filename;
    private final FileChannel file;
    private final InputErrors errors;
    private final End end;
    private final ReadTransfer transfer;
    private final int segmentSize;
    /** segments one send carries: the window, at most {@link #MAX_SEGMENTS} */
    private final int batchSegments;
    private boolean gso;
    private final long started = System.nanoTime();

    private ChannelHandlerContext ctx;
    /**
     * The transfer's own send buffer, taken again for every DATA (or window) once the previous send has
     * released it: lock-step sends one DATA per ACK, and a pooled buffer allocated and freed per block
     * was most of the Java time per block. While a send is still queued (full socket buffer) a fresh
     * buffer is taken instead, so a queued datagram is never overwritten.
     */
    private ByteBuf sendBuffer;
    /** The same for reads: every ACK lands in this one buffer (see {@link #receiveAllocator()}). */
    private ByteBuf receiveBuffer;
    private ByteBuf batch;
    private int segments;
    private long datagramsSent;
    private ScheduledFuture<?> timer;
    /** when the retransmission timeout expires; moved on progress, checked when the timer fires */
    private long deadline;
    private boolean ended;

    /** @param blocks {@code file}'s bytes (see {@link MappedFileBlocks}); {@code file} is closed at the end */
    EpollTransfer(InetSocketAddress peer, String filename, FileChannel file, ReadTransfer.FileBlocks blocks,
                  TransferOptions options, long fileSize, int retries, InputErrors errors, boolean gso, End end) {
        this.peer = peer;
        this.filename = filename;
        this.file = file;
        this.errors = errors;
        this.end = end;
        this.gso = gso;
        this.segmentSize = 4 + options.blockSize();
        this.batchSegments = Math.max(1, Math.min(MAX_SEGMENTS, options.windowSize()));
        this.transfer = new ReadTransfer(options, fileSize, blocks, this, retries);
    }

    private interface Step {
        ReadTransfer.Outcome run() throws IOException;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        step(transfer::start);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf content = datagram.content();
        if (content.readableBytes() >= 4 && content.getUnsignedShort(content.readerIndex()) == TftpPacket.ACK) {
            // the per-block path: the ACK read in place, no packet record, no lambda
            int block = content.getUnsignedShort(content.readerIndex() + 2);
            datagram.release();
            if (ended) return;
            long before = datagramsSent;
            ReadTransfer.Outcome outcome;
            try {
                outcome = transfer.onAck(block);
                flushBatch();
            } catch (IOException e) {
                abort(e);
                return;
            }
            // at once, not in channelReadComplete: the DATA leaves as soon as its ACK is read
            ctx.flush();
            afterStep(before, outcome);
            return;
        }
        TftpPacket packet;
        try {
            packet = TftpPacket.parse(content.nioBuffer());
        } catch (MalformedPacketException e) {
            errors.dropped("TFTP", peer, e.getMessage());
            return;
        } finally {
            datagram.release();
        }
        step(() -> transfer.onPacket(packet));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable: the client is gone
        finish(ReadTransfer.Outcome.RUNNING, cause instanceof IOException io ? io : new IOException(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(ReadTransfer.Outcome.RUNNING, new IOException("server stopped"));
    }

    /** Outside the read path (start, timer, deferred retries): runs one step and flushes at once. */
    private void step(Step step) {
        if (ended) return;
        long before = datagramsSent;
        ReadTransfer.Outcome outcome;
        try {
            outcome = step.run();
            flushBatch();
        } catch (IOException e) {
            abort(e);
            return;
        }
        ctx.flush();
        afterStep(before, outcome);
    }

    private void abort(IOException e) {
        releaseBatch();
        ctx.writeAndFlush(ctx.alloc().directBuffer(64).writeBytes(
                TftpPacket.encode(new TftpPacket.Error(TftpPacket.Error.NOT_DEFINED, "transfer aborted"))), ctx.voidPromise());
        finish(ReadTransfer.Outcome.RUNNING, e);
    }

    private void afterStep(long before, ReadTransfer.Outcome outcome) {
        if (outcome != ReadTransfer.Outcome.RUNNING) {
            finish(outcome, null);
        } else if (datagramsSent != before || timer == null) {
            // only progress restarts the clock: stale ACKs must not keep a dead transfer alive.
            // Moving a deadline instead of rescheduling keeps the per-ACK path free of timer churn.
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(transfer.timeoutMillis());
            if (timer == null) timer = ctx.executor().schedule(this::timerFired, transfer.timeoutMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void timerFired() {
        timer = null;
        if (ended) return;
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(this::timerFired, left, TimeUnit.NANOSECONDS);
        } else {
            step(transfer::onTimeout);
        }
    }

    @Override
    public void send(ByteBuffer datagram) {
        flushBatch();
        write(ctx.alloc().directBuffer(datagram.remaining()).writeBytes(datagram));
        datagramsSent++;
    }

    @Override
    public void sendData(ByteBuffer header, ByteBuffer payload) {
        boolean shortBlock = payload.remaining() + 4 < segmentSize;
        if (!gso) {
            ByteBuf one = batchSegments == 1 ? takeSendBuffer() : ctx.alloc().directBuffer(segmentSize);
            write(one.writeBytes(header).writeBytes(payload));
        } else {
            if (batch == null) batch = takeSendBuffer();
            batch.writeBytes(header).writeBytes(payload);
            // GSO: every segment but the last has the full size, so a short block ends the batch
            if (++segments == batchSegments || shortBlock) flushBatch();
        }
        datagramsSent++;
    }

    /**
     * {@link #sendBuffer} when no send holds it any more (only this transfer's reference left), else a fresh
     * one. Made at the first send that can use it: a transfer that never does (windowed without GSO) holds none.
     */
    private ByteBuf takeSendBuffer() {
        ByteBuf own = sendBuffer;
        if (own == null && !ended) own = sendBuffer = ctx.alloc().directBuffer(segmentSize * batchSegments);
        if (own != null && own.refCnt() == 1) return own.clear().retain();
        return ctx.alloc().directBuffer(segmentSize * batchSegments);
    }

    private void flushBatch() {
        if (batch == null) return;
        ByteBuf out = batch;
        int count = segments;
        batch = null;
        segments = 0;
        if (count == 1) {
            write(out);
            return;
        }
        ctx.write(new SegmentedDatagramPacket(out, segmentSize, peer)).addListener(f -> {
            if (!f.isSuccess() && gso) {
                // the kernel refuses GSO when a segment exceeds the path MTU (EMSGSIZE; e.g. blksize 1468
                // on a 1450-byte overlay network) where a plain datagram would be fragmented: send this
                // transfer's blocks one by one from now on, starting with the window just lost. Deferred:
                // this listener may run inside the flush of the current step.
                gso = false;
                log.info("TFTP {}: UDP GSO refused ({}), sending {} block by block", peer, f.cause().toString(), filename);
                ctx.executor().execute(() -> step(transfer::onTimeout));
            }
        });
    }

    /**
     * One datagram on the connected socket: a plain buffer, no address (send(), not sendto(): no address
     * conversion and no route lookup per packet), and the void promise (no promise object per packet). A
     * failed write reaches {@link #exceptionCaught}, which ends the transfer as a failed send always did.
     */
    private void write(ByteBuf datagram) {
        ctx.write(datagram, ctx.voidPromise());
    }

    private void releaseBatch() {
        if (batch != null) batch.release();
        batch = null;
        segments = 0;
    }

    private void finish(ReadTransfer.Outcome outcome, IOException failure) {
        if (ended) return;
        ended = true;
        if (timer != null) timer.cancel(false);
        releaseBatch();
        Channel channel = ctx.channel();
        channel.close();
        // after the close: it frees what was still queued; a read loop still running takes fresh buffers
        if (sendBuffer != null) sendBuffer.release();
        sendBuffer = null;
        if (receiveBuffer != null) receiveBuffer.release();
        receiveBuffer = null;
        try {
            file.close();
        } catch (IOException ignored) {
            // closing
        }
        end.finished(this, peer, filename, transfer, outcome, failure, System.nanoTime() - started);
    }

    /**
     * The channel's receive allocator: every read lands in this transfer's one {@link #receiveBuffer}
     * (retained for the read, released by {@link #channelRead}), instead of a pooled buffer taken and
     * freed per ACK. Runs on the channel's event loop, as the handler does.
     */
    RecvByteBufAllocator receiveAllocator() {
        // One datagram per wake-up, chosen, not inherited: a lock-step peer has one ACK in flight, so a
        // second recv would only find the socket empty (epoll is level-triggered: a windowed peer's
        // further ACKs wake the loop again)
        return new DefaultMaxMessagesRecvByteBufAllocator(1) {
            @Override
            public Handle newHandle() {
                return new MaxMessageHandle() {
                    @Override
                    public ByteBuf allocate(ByteBufAllocator alloc) {
                        ByteBuf own = receiveBuffer;
                        if (own == null && !ended) own = receiveBuffer = alloc.directBuffer(RECEIVE_BUFFER);
                        // still held (a read not yet released) or already freed (the transfer ended): a fresh one
                        if (own == null || own.refCnt() != 1) return alloc.directBuffer(RECEIVE_BUFFER);
                        return own.clear().retain();
                    }

                    @Override
                    public int guess() {
                        return RECEIVE_BUFFER;
                    }
                };
            }
        };
    }

    @Override
    public boolean clientAcknowledged() {
        return transfer.clientAcknowledged();
    }

    @Override
    public void close() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> finish(ReadTransfer.Outcome.RUNNING, new IOException("server stopped")));
        } else {
            try {
                file.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
