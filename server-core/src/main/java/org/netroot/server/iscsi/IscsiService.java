package org.netroot.server.iscsi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.netroot.server.service.NettyTransport;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.BindProblems;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.ServiceFacts;
import org.netroot.server.service.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iSCSI portal: binds TCP, frames PDUs and hands them to one {@link IscsiConnection} per
 * connection. Page-cache reads and writes run on the event loop that read them, what may wait on a
 * disk or the database on the connection's command thread (reads go from the volume into a pooled
 * direct buffer and out without another copy); responses are flushed once per read.
 * Limits a peer cannot talk its way past: a login within 30 s, 16 logins in progress per address,
 * and at most the write water mark of unread output before its commands wait.
 */
public final class IscsiService implements ManagedService {
    /** Seconds of silence on a session before TCP keepalive probes start. */
    static final int KEEPALIVE_IDLE_SECONDS = 60;
    private static final Logger log = LoggerFactory.getLogger(IscsiService.class);
    /** Threads running SCSI commands; 0 runs them on the event loops (-Dnetroot.iscsi.commandThreads). */
    private static final int DISK_THREADS = Integer.getInteger("netroot.iscsi.commandThreads", 16);

    /** Connections from one address still logging in: a peer cannot tie up the target with half-open logins. */
    static final int MAX_LOGINS_PER_ADDRESS = 16;
    /**
     * Data-In queued for a peer before we stop taking its commands: a READ may be 16 MiB of direct
     * memory, and an initiator that sends commands but does not read must not make us buffer them all.
     */
    static final WriteBufferWaterMark OUTPUT_WATER_MARK = new WriteBufferWaterMark(2 << 20, 8 << 20);
    /** Work (PDU bytes in, data expected out) one connection may have queued on its command thread. */
    static final long MAX_HANDED_OFF_BYTES = 8 << 20;

    private final IscsiSettings settings;
    private final TargetServices services;
    private final InputErrors errors;
    private EventLoopGroup group;
    private EventExecutorGroup diskThreads;
    /** One listening channel per bind address. */
    private volatile List<Channel> portals = List.of();
    private ChannelGroup connections;
    /** A connection not in full feature phase this long after connecting is closed (a login takes milliseconds). */
    private volatile Duration loginTimeout = Duration.ofSeconds(30);
    private final ConcurrentHashMap<InetAddress, Integer> loggingIn = new ConcurrentHashMap<>();
    private final AtomicInteger paused = new AtomicInteger();
    /** PDUs received (logins, SCSI commands, data): what the portal handled. */
    private final LongAdder pduCount = new LongAdder();
    /**
     * Tests only: each task handed to a command thread comes here as "hand it over now", to be run once,
     * in order, maybe later (so a test can hold commands queued); null hands them over at once.
     */
    volatile Consumer<Runnable> handOff;

    public IscsiService(IscsiSettings settings, TargetCatalog targets, BootEventSink events, PeerDirectory peers,
                        InputErrors errors) {
        this.settings = settings;
        this.services = new TargetServices(targets, new ActiveSessions(), events, peers, errors);
        this.errors = errors;
    }

    @Override
    public String name() {
        return "iSCSI";
    }

    @Override
    public synchronized void start() throws Exception {
        if (!portals.isEmpty()) return;
        group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        // each connection has one of these threads for what may wait (flushes, logins, long ranges: see
        // PduPlacement), so a slow disk for one client never stalls the sockets of the others sharing its
        // event loop; page-cache reads and writes run on the event loop, without two thread hand-offs
        diskThreads = DISK_THREADS > 0 ? new DefaultEventExecutorGroup(DISK_THREADS) : null;
        connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // a PC that lost power keeps its session, and with it its volume (no client or volume
                // removal, no shrink), until TCP notices; Linux's default keepalive takes 2 h 11 min.
                // Probe after a minute of silence, every 10 s, give up after 6: about 2 minutes.
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), KEEPALIVE_IDLE_SECONDS)
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), 10)
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), 6)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, OUTPUT_WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LoginSlot slot = LoginSlot.take(loggingIn, ch.remoteAddress().getAddress());
                        if (slot == null) {
                            errors.dropped("iSCSI", ch.remoteAddress(), "more than " + MAX_LOGINS_PER_ADDRESS
                                    + " connections from one address still logging in");
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        Digests digests = new Digests();
                        ch.pipeline().addLast("framer", new Framer(errors, digests));
                        ch.pipeline().addLast("connection", new ConnectionHandler(slot, digests,
                                diskThreads == null ? null : diskThreads.next()));
                        var timeout = ch.eventLoop().schedule(() -> {
                            if (slot.release()) {
                                errors.dropped("iSCSI", ch.remoteAddress(), "no login within " + loginTimeout.toSeconds() + " s");
                                ch.close();
                            }
                        }, loginTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        ch.closeFuture().addListener(f -> {
                            timeout.cancel(false);
                            slot.release();
                        });
                    }
                });
        List<InetAddress> addresses;
        try {
            addresses = settings.listen().resolve(); // now, not at construction: addresses come and go
            portals = NettyTransport.bindAll(b, addresses, settings.port());
        } catch (IllegalStateException | NettyTransport.BindFailed failed) {
            group.shutdownGracefully();
            if (diskThreads != null) diskThreads.shutdownGracefully();
            group = null;
            if (failed instanceof IllegalStateException noAddress) {
                throw new IllegalStateException("iSCSI: " + noAddress.getMessage(), noAddress);
            }
            NettyTransport.BindFailed bind = (NettyTransport.BindFailed) failed;
            throw BindProblems.explain("iSCSI", "tcp", bind.port(), bind.address(), bind.getCause(),
                    "tgt, targetcli/LIO, a second Netroot", "--iscsi-port");
        }
        log.info("iSCSI portal listening on {} port {}", NettyTransport.describe(addresses), port());
    }

    @Override
    public synchronized void stop() {
        if (portals.isEmpty()) return;
        for (Channel portal : portals) portal.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        // the event loops and the command threads hand a closing channel's last events to each other:
        // stop both together, each waiting for a short quiet spell, so neither refuses the other's task
        var commandsDone = diskThreads == null ? null
                : diskThreads.shutdownGracefully(100, 2000, java.util.concurrent.TimeUnit.MILLISECONDS);
        group.shutdownGracefully(100, 2000, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
        if (commandsDone != null) commandsDone.syncUninterruptibly();
        portals = List.of();
        group = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return NettyTransport.allActive(portals);
    }

    @Override
    public ServiceFacts facts() {
        return ServiceFacts.listening(NettyTransport.boundAddresses(portals), settings.port(), "tcp", pduCount.sum());
    }

    /** The port actually bound (differs from the settings when they ask for port 0). */
    public synchronized int port() {
        return NettyTransport.boundPort(portals, -1);
    }

    /** How long a connection may take to reach full feature phase; tests shorten it. */
    void loginTimeout(Duration timeout) {
        loginTimeout = timeout;
    }

    /** Connections from {@code address} that have not finished logging in. */
    int loginsInProgress(InetAddress address) {
        return loggingIn.getOrDefault(address, 0);
    }

    /** Connections whose commands wait because the peer does not read what we sent. */
    int pausedConnections() {
        return paused.get();
    }

    /** Normal sessions currently holding a volume (one writer per volume). */
    public int activeSessions() {
        return services.sessions().count();
    }

    /** Cuts the byte stream into whole PDUs; anything that cannot be a PDU is counted and the connection closed. */
    static final class Framer extends ByteToMessageDecoder {
        private final InputErrors errors;
        private final Digests digests;

        Framer(InputErrors errors, Digests digests) {
            this.errors = errors;
            this.digests = digests;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int readable = in.readableBytes();
            if (readable < Bhs.LENGTH) return;
            int length;
            boolean header = digests.header();
            boolean data = digests.data();
            try {
                length = PduFraming.frameLength(in.nioBuffer(in.readerIndex(), Bhs.LENGTH),
                        SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH, header, data);
                if (readable < length) return;
                ByteBuf frame = in.readRetainedSlice(length); // its own reference: the command thread reads it later
                if (!header && !data) {
                    out.add(frame);
                    return;
                }
                try { // checked here, on the thread that framed it with these digests; passed on without them
                    ByteBuffer f = frame.nioBuffer();
                    int dataAt = digests.check(f);
                    int headerLength = Digests.headerLength(f);
                    int padded = Digests.paddedDataLength(f);
                    out.add(header ? Unpooled.wrappedBuffer(frame.retainedSlice(0, headerLength), frame.retainedSlice(dataAt, padded))
                            : frame.retainedSlice(0, headerLength + padded));
                } finally {
                    frame.release();
                }
            } catch (MalformedPduException e) {
                errors.dropped("iSCSI", ctx.channel().remoteAddress(), e.getMessage());
                in.skipBytes(in.readableBytes());
                ctx.close();
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
            if (in.isReadable()) {
                errors.dropped("iSCSI", ctx.channel().remoteAddress(),
                        "connection closed inside a PDU (" + in.readableBytes() + " bytes of a truncated PDU)");
                in.skipBytes(in.readableBytes());
            }
        }
    }

    /**
     * One connection's PDUs, in order: quick ones (see {@link PduPlacement}) on the event loop, the others
     * on the connection's command thread. Runs on the event loop; the connection's state is touched by one
     * thread at a time: a PDU runs on the event loop only when nothing of this connection is left on the
     * command thread, and that thread's last output reaches the channel before the event loop learns so
     * (the count goes down in a task queued behind that output). While the channel is not writable (more
     * than the high water mark of output not yet taken by the peer) or the command thread holds enough of
     * this connection's work, PDUs wait here and the socket is not read: TCP pushes back on the initiator
     * instead of us buffering Data-In without bound. Netty reports writability changes in the middle of a
     * write: {@link #resume} never runs inside a PDU being handled or inside itself, it runs again after.
     */
    final class ConnectionHandler extends ChannelInboundHandlerAdapter {
        private final LoginSlot slot;
        private final Digests digests;
        /** null: everything on the event loop (-Dnetroot.iscsi.commandThreads=0) */
        private final EventExecutor commandThread;
        private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
        /**
         * The SCSI commands among {@link #waiting}, registered as queued when they came: another session's
         * PREEMPT AND ABORT takes them back too, though they have not reached the command thread yet.
         */
        private final java.util.IdentityHashMap<ByteBuf, QueuedCommands.Entry> waitingCommands = new java.util.IdentityHashMap<>();
        private IscsiConnection connection;
        /** Tasks given to the command thread and not yet known on the event loop to be done (event loop only). */
        private int onCommandThread;
        /** Bytes of input and expected output of the tasks counted in {@link #onCommandThread} (event loop only). */
        private long handedOffBytes;
        /** Inside {@link #handle} or {@link #resume} (event loop only): Netty may call back into us from a write. */
        private boolean busy;
        /** A writability change came while {@link #busy}: resume once out. */
        private boolean resumeAsked;
        /** Quick PDUs go to the command thread until then (System.nanoTime), after one was slow (event loop only). */
        private long slowUntil = System.nanoTime();

        ConnectionHandler(LoginSlot slot, Digests digests, EventExecutor commandThread) {
            this.slot = slot;
            this.digests = digests;
            this.commandThread = commandThread;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connection = new IscsiConnection(new NettyOutput(ctx, digests), services,
                    (InetSocketAddress) ctx.channel().localAddress(), (InetSocketAddress) ctx.channel().remoteAddress());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            if (busy || !waiting.isEmpty() || !ready(ctx)) {
                if (waiting.isEmpty()) {
                    paused.incrementAndGet();
                    ctx.channel().config().setAutoRead(false);
                    ctx.flush(); // what is queued must drain for the channel to become writable again
                }
                waiting.add(frame);
                // the framer checked the BHS is whole: opcode in byte 0, initiator task tag at 16
                if ((frame.getByte(frame.readerIndex()) & 0x3f) == Bhs.SCSI_COMMAND) {
                    waitingCommands.put(frame, connection.queued().add(frame.getInt(frame.readerIndex() + 16), false));
                }
                return;
            }
            busy = true;
            try {
                handle(ctx, frame);
            } finally {
                busy = false;
            }
            if (resumeAsked) resume(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            resume(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        /**
         * Whether the next PDU may be handled now: our output to the peer is under the water mark, and the
         * command thread does not already hold {@link #MAX_HANDED_OFF_BYTES} of this connection's work (what
         * is queued there has not written its output yet, so the water mark cannot see it).
         */
        private boolean ready(ChannelHandlerContext ctx) {
            return ctx.channel().isWritable() && (onCommandThread == 0 || handedOffBytes < MAX_HANDED_OFF_BYTES);
        }

        /** Handles the PDUs that waited, as far as {@link #ready} allows; reads the socket again once none wait. */
        private void resume(ChannelHandlerContext ctx) {
            if (busy) { // called back from a write or flush below: the loop here looks again
                resumeAsked = true;
                return;
            }
            busy = true;
            try {
                do {
                    resumeAsked = false;
                    if (waiting.isEmpty()) return;
                    while (!waiting.isEmpty() && ready(ctx) && ctx.channel().isActive()) {
                        handle(ctx, waiting.poll());
                    }
                    ctx.flush();
                    if (waiting.isEmpty()) {
                        paused.decrementAndGet();
                        ctx.channel().config().setAutoRead(true);
                    }
                } while (resumeAsked);
            } finally {
                busy = false;
            }
        }

        private void handle(ChannelHandlerContext ctx, ByteBuf frame) {
            // a SCSI command that waited in the socket's stead (nearly always none: no lookup then)
            QueuedCommands.Entry waited = waitingCommands.isEmpty() ? null : waitingCommands.remove(frame);
            if (waited != null) waited.handled(); // its turn: task management after it may take it back
            Pdu pdu = PduFraming.parse(frame.nioBuffer()); // the framer checked its lengths
            pduCount.increment();
            int opcode = pdu.bhs().opcode();
            // an immediate task management request (as initiators send them) takes back the commands it aborts
            // that have not started, before they can; the request itself answers in its turn, behind them. One
            // that is not immediate may yet fall outside the CmdSN window: it acts only in its turn
            if (opcode == Bhs.TASK_MANAGEMENT && pdu.bhs().immediate()) connection.queued().taskManagement(pdu.bhs());
            if (commandThread == null || (onCommandThread == 0 && PduPlacement.quick(pdu.bhs())
                    && System.nanoTime() - slowUntil >= 0)) {
                long start = System.nanoTime();
                runOrSkip(ctx, pdu, frame, waited);
                long took = System.nanoTime() - start;
                if (took > PduPlacement.SLOW_NANOS) slowUntil = start + took + PduPlacement.BACK_OFF_NANOS;
            } else {
                // a SCSI command waiting here may be aborted before it starts (task management, PREEMPT AND ABORT)
                QueuedCommands.Entry queued = waited != null ? waited
                        : opcode == Bhs.SCSI_COMMAND ? connection.queued().add(pdu.bhs().itt(), true) : null;
                onCommandThread(ctx, Math.max(frame.readableBytes(), PduPlacement.transferLength(pdu.bhs())), () -> {
                    runOrSkip(ctx, pdu, frame, queued);
                    ctx.flush();
                });
            }
        }

        /**
         * Runs the PDU, unless it is a command that {@code entry} says was aborted before it started: that one
         * takes its place in the order and does not run (the abort already took its entry back); it answers
         * TASK ABORTED if another nexus aborted it, else nothing.
         */
        private void runOrSkip(ChannelHandlerContext ctx, Pdu pdu, ByteBuf frame, QueuedCommands.Entry entry) {
            if (entry == null) {
                receive(ctx, pdu, frame);
            } else if (entry.start()) {
                try {
                    receive(ctx, pdu, frame);
                } finally {
                    connection.queued().done(entry);
                }
            } else {
                try {
                    connection.abortedBeforeStart(pdu, entry.abortedAlone() ? entry.abortedBy() : null,
                            entry.abortedByAnotherNexus());
                } finally {
                    frame.release();
                }
            }
        }

        /** Runs {@code task} on the command thread, after what this connection already has there. */
        private void onCommandThread(ChannelHandlerContext ctx, long bytes, Runnable task) {
            onCommandThread++;
            handedOffBytes += bytes;
            Runnable run = () -> {
                try {
                    task.run();
                } catch (Throwable t) { // as exceptionCaught would: the command has no answer, the initiator must not wait for it
                    log.warn("iSCSI connection {} failed", ctx.channel().remoteAddress(), t);
                    ctx.channel().close();
                } finally {
                    try {
                        ctx.channel().eventLoop().execute(() -> {
                            onCommandThread--;
                            handedOffBytes -= bytes;
                            try {
                                resume(ctx);
                            } catch (RuntimeException e) { // else reading stays off and the connection hangs
                                log.warn("iSCSI connection {} failed", ctx.channel().remoteAddress(), e);
                                ctx.channel().close();
                            }
                        });
                    } catch (java.util.concurrent.RejectedExecutionException stopping) {
                        // the service is stopping: nothing runs on this event loop again
                    }
                }
            };
            Consumer<Runnable> hook = handOff;
            if (hook == null) commandThread.execute(run);
            else hook.accept(() -> commandThread.execute(run));
        }

        /**
         * Runs {@code task} on the command thread after what this connection has there (closing a qcow2
         * volume flushes it: not on the event loop); here when there is none or it has stopped.
         */
        private void onCommandThreadAfterTheRest(ChannelHandlerContext ctx, Runnable task) {
            if (commandThread == null) {
                task.run();
                return;
            }
            try {
                onCommandThread(ctx, 0, task);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                onCommandThread--;
                task.run(); // the service is stopping: its command threads ran their last
            }
        }

        private void receive(ChannelHandlerContext ctx, Pdu pdu, ByteBuf frame) {
            try {
                connection.receive(pdu);
                if (connection.inFullFeaturePhase()) slot.release();
            } catch (MalformedPduException e) {
                malformed(ctx, e);
            } finally {
                frame.release();
            }
        }

        private void malformed(ChannelHandlerContext ctx, MalformedPduException e) {
            errors.dropped("iSCSI", ctx.channel().remoteAddress(), e.getMessage());
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!waiting.isEmpty()) {
                paused.decrementAndGet();
                waiting.forEach(ByteBuf::release);
                waiting.clear();
                waitingCommands.values().forEach(connection.queued()::done);
                waitingCommands.clear();
            }
            IscsiConnection closed = connection;
            if (closed != null) onCommandThreadAfterTheRest(ctx, closed::closed);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof java.io.IOException) {
                log.debug("iSCSI connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            } else {
                log.warn("iSCSI connection {} failed", ctx.channel().remoteAddress(), cause);
            }
            ctx.close();
        }
    }

    /** PDUs out to Netty: header and data as separate buffers, Data-In as slices of the pooled read buffer. */
    private static final class NettyOutput implements PduOutput {
        private static final byte[] PAD = new byte[4];
        private final ChannelHandlerContext ctx;
        private final Digests digests;
        /** ours, from the command thread only: the receiving side's flags change first (see startDigests) */
        private boolean headerDigest;
        private boolean dataDigest;

        NettyOutput(ChannelHandlerContext ctx, Digests digests) {
            this.ctx = ctx;
            this.digests = digests;
        }

        @Override
        public void startDigests(boolean header, boolean data) {
            digests.start(header, data); // the initiator's next PDU comes after our flush: the framer sees these first
            headerDigest = header;
            dataDigest = data;
        }

        @Override
        public DataBuffer allocate(int capacity) {
            return new PooledBuffer(ctx.alloc().directBuffer(Math.max(capacity, 1)), capacity);
        }

        @Override
        public void send(Bhs header, ByteBuffer data) {
            int n = data == null ? 0 : data.remaining();
            header.dataSegmentLength(n);
            int padded = PduFraming.padded(n);
            ByteBuf b = ctx.alloc().directBuffer(Bhs.LENGTH + padded + 2 * Digests.LENGTH);
            b.writeBytes(header.bytes());
            if (headerDigest) b.writeBytes(Digests.wire(Digests.crc32c(ByteBuffer.wrap(header.bytes()))));
            int dataAt = b.writerIndex();
            if (n > 0) b.writeBytes(data.duplicate());
            b.writeZero(padded - n);
            if (dataDigest && n > 0) b.writeBytes(Digests.wire(Digests.crc32c(b.nioBuffer(dataAt, padded))));
            ctx.write(b, ctx.voidPromise());
        }

        @Override
        public void send(Bhs header, DataBuffer buffer, int offset, int length) {
            header.dataSegmentLength(length);
            int pad = PduFraming.padded(length) - length;
            ByteBuf head = ctx.alloc().directBuffer(Bhs.LENGTH + Digests.LENGTH).writeBytes(header.bytes());
            if (headerDigest) head.writeBytes(Digests.wire(Digests.crc32c(ByteBuffer.wrap(header.bytes()))));
            // a retained slice: the command releases its buffer right away, Netty releases the slice once written
            ByteBuf body = ((PooledBuffer) buffer).buf.retainedSlice(offset, length);
            ByteBuf tail = pad > 0 ? Unpooled.wrappedBuffer(PAD, 0, pad) : Unpooled.EMPTY_BUFFER;
            if (dataDigest && length > 0) {
                int crc = Digests.crc32c(body.nioBuffer(), ByteBuffer.wrap(PAD, 0, pad));
                tail = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(PAD, 0, pad), Unpooled.wrappedBuffer(Digests.wire(crc)));
            }
            // one write per PDU: from the command threads each write is a task for the event loop
            ctx.write(tail.isReadable() ? Unpooled.wrappedBuffer(head, body, tail) : Unpooled.wrappedBuffer(head, body),
                    ctx.voidPromise());
        }

        @Override
        public void flush() {
            ctx.flush();
        }

        @Override
        public void close() {
            ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** One connection's place among its address's logins in progress; given back once, at login or close. */
    static final class LoginSlot {
        private final ConcurrentHashMap<InetAddress, Integer> counts;
        private final InetAddress address;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private LoginSlot(ConcurrentHashMap<InetAddress, Integer> counts, InetAddress address) {
            this.counts = counts;
            this.address = address;
        }

        /** A slot, or null when the address already has {@link #MAX_LOGINS_PER_ADDRESS} logins in progress. */
        static LoginSlot take(ConcurrentHashMap<InetAddress, Integer> counts, InetAddress address) {
            boolean[] taken = {false};
            counts.compute(address, (a, n) -> {
                int c = n == null ? 0 : n;
                if (c >= MAX_LOGINS_PER_ADDRESS) return n;
                taken[0] = true;
                return c + 1;
            });
            return taken[0] ? new LoginSlot(counts, address) : null;
        }

        /** True for the one call that gave the slot back. */
        boolean release() {
            if (!held.compareAndSet(true, false)) return false;
            counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
            return true;
        }
    }

    /** A pooled direct buffer seen as a ByteBuffer by the plain-Java layers. */
    private static final class PooledBuffer implements PduOutput.DataBuffer {
        final ByteBuf buf;
        private final ByteBuffer nio;

        PooledBuffer(ByteBuf buf, int capacity) {
            this.buf = buf;
            this.nio = buf.nioBuffer(0, capacity);
        }

        @Override
        public ByteBuffer nio() {
            return nio;
        }

        @Override
        public void release() {
            buf.release();
        }
    }
}
