package org.netroot.server.nbd;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import jdk.net.ExtendedSocketOptions;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.EventThrottle;
import org.netroot.server.service.BindProblems;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.ManagedService;
import org.netroot.server.service.NettyTransport;
import org.netroot.server.service.ServiceFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NBD server's Netty binding: binds TCP, frames client messages ({@link Framer}) and hands them
 * to one {@link NbdConnection} per connection. Everything that touches a volume runs on the disk
 * threads, never on an event loop: handshake messages one at a time (an NBD_OPT_GO opens the volume),
 * requests many at once, each answered as it finishes. A READ's data is read into a pooled direct
 * buffer behind its reply header and written from there. Limits a client cannot talk its way past:
 * an export chosen within 30 s, {@link #MAX_IN_FLIGHT} requests or {@link #MAX_IN_FLIGHT_BYTES} of
 * READ and WRITE data in flight, and the write water mark of unread replies, before its socket is not
 * read any more.
 */
public final class NbdService implements ManagedService {
    private static final Logger log = LoggerFactory.getLogger(NbdService.class);
    static final String NAME = "NBD";
    /** Seconds of silence before TCP keepalive probes start: a PC that lost power must not keep its volume for hours. */
    static final int KEEPALIVE_IDLE_SECONDS = 60;
    /** Threads running handshakes and requests, shared by all connections (-Dnetroot.nbd.diskThreads). */
    private static final int DISK_THREADS = Integer.getInteger("netroot.nbd.diskThreads", 16);
    /** Requests of one connection in flight before its socket is not read: the kernel's queue depth is 128. */
    static final int MAX_IN_FLIGHT = 128;
    /** READ and WRITE bytes of one connection in flight before its socket is not read: what it may pin in buffers. */
    static final long MAX_IN_FLIGHT_BYTES = 64L << 20;
    /** Replies queued for a client before its requests wait: a client that sends but does not read is held back. */
    static final WriteBufferWaterMark OUTPUT_WATER_MARK = new WriteBufferWaterMark(4 << 20, 16 << 20);
    /** Refusal events per address at most this often: a client retrying its boot must not flood the timeline. */
    static final Duration REFUSAL_EVENT_EVERY = Duration.ofSeconds(10);

    private final NbdSettings settings;
    private final ExportCatalog catalog;
    private final BootEventSink events;
    private final InputErrors errors;
    private final EventThrottle refusalEvents = new EventThrottle(REFUSAL_EVENT_EVERY);
    private EventLoopGroup group;
    private ExecutorService disk;
    private volatile List<Channel> listeners = List.of();
    private ChannelGroup connections;
    private volatile Duration handshakeTimeout = Duration.ofSeconds(30);
    /** Options and requests handled: what the status counts. */
    private final LongAdder messages = new LongAdder();
    private final AtomicInteger paused = new AtomicInteger();

    public NbdService(NbdSettings settings, ExportCatalog catalog, BootEventSink events, InputErrors errors) {
        this.settings = settings;
        this.catalog = catalog;
        this.events = events;
        this.errors = errors;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() throws Exception {
        if (!listeners.isEmpty()) return;
        group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        disk = new ThreadPoolExecutor(DISK_THREADS, DISK_THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("nbd-disk", true)); // Netty's threads: pooled buffers keep a cache per thread
        connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // as the iSCSI portal: a client that lost power keeps its volume (one writer) until TCP
                // notices; probe after a minute of silence, every 10 s, give up after 6
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), KEEPALIVE_IDLE_SECONDS)
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), 10)
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), 6)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, OUTPUT_WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        Framer framer = new Framer(errors);
                        ch.pipeline().addLast("framer", framer);
                        ch.pipeline().addLast("connection", new ConnectionHandler(framer));
                    }
                });
        List<InetAddress> addresses;
        try {
            addresses = settings.listen().resolve(); // now: an interface may have got its address since the server was built
            listeners = NettyTransport.bindAll(b, addresses, settings.port());
        } catch (IllegalStateException | NettyTransport.BindFailed failed) {
            disk.shutdownNow();
            group.shutdownGracefully();
            group = null;
            if (failed instanceof IllegalStateException noAddress) {
                throw new IllegalStateException("NBD: " + noAddress.getMessage(), noAddress);
            }
            NettyTransport.BindFailed bind = (NettyTransport.BindFailed) failed;
            throw BindProblems.explain(NAME, "tcp", bind.port(), bind.address(), bind.getCause(),
                    "nbd-server, qemu-nbd, nbdkit, a second Netroot", "--nbd-port");
        }
        log.info("NBD server listening on {} port {}", NettyTransport.describe(addresses), port());
    }

    @Override
    public synchronized void stop() {
        if (listeners.isEmpty()) return;
        for (Channel l : listeners) l.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        // requests already running finish (their volumes go back as the last one ends), then the event loops stop
        disk.shutdown();
        try {
            if (!disk.awaitTermination(5, TimeUnit.SECONDS)) log.warn("NBD: requests still running after 5 s at stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        listeners = List.of();
        group = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return NettyTransport.allActive(listeners);
    }

    @Override
    public ServiceFacts facts() {
        return ServiceFacts.listening(NettyTransport.boundAddresses(listeners), settings.port(), "tcp", messages.sum());
    }

    /** The port actually bound (differs from the settings when they ask for port 0). */
    public synchronized int port() {
        return NettyTransport.boundPort(listeners, -1);
    }

    /** How long a connection may take to choose its export; tests shorten it. */
    void handshakeTimeout(Duration timeout) {
        handshakeTimeout = timeout;
    }

    /** Runs {@code task} on each network thread (tests: a network thread kept busy while the disk threads answer). */
    void onNetworkThreads(Runnable task) {
        group.forEach(loop -> loop.execute(task));
    }

    /** Connections whose requests wait because the client does not read its replies or has too many in flight. */
    int pausedConnections() {
        return paused.get();
    }

    /**
     * Cuts the byte stream into whole messages in the phase the connection is in. During the
     * handshake it hands out one message and waits ({@link #resume}) until that one was answered:
     * the answer decides how the next bytes read (options, or requests after NBD_OPT_GO).
     * Anything that cannot be a message is counted and the connection closed.
     */
    static final class Framer extends ByteToMessageDecoder {
        private final InputErrors errors;
        private NbdFraming.Phase phase = NbdFraming.Phase.CLIENT_FLAGS;
        private boolean answering;
        /** The connection was dropped (counted once): what is left is not counted again. */
        private boolean dropped;
        private ChannelHandlerContext ctx;

        Framer(InputErrors errors) {
            this.errors = errors;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        NbdFraming.Phase phase() {
            return phase;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (answering) return;
            int readable = in.readableBytes();
            int length;
            try {
                length = NbdFraming.frameLength(phase, in.nioBuffer(in.readerIndex(),
                        Math.min(readable, NbdProtocol.REQUEST_HEADER)));
            } catch (MalformedNbdException e) {
                errors.dropped(NAME, ctx.channel().remoteAddress(), e.getMessage());
                drop();
                return;
            }
            if (length < 0 || readable < length) return;
            if (phase != NbdFraming.Phase.TRANSMISSION) answering = true;
            out.add(in.readRetainedSlice(length)); // its own reference: a disk thread reads it later
        }

        /** Frames nothing more: the connection is being dropped for a reason already counted. On the event loop. */
        void drop() {
            dropped = true;
            answering = true;
            internalBuffer().skipBytes(internalBuffer().readableBytes());
            ctx.close();
        }

        /** The last handshake message was answered: frame what follows as {@code next}. On the event loop. */
        void resume(NbdFraming.Phase next) {
            if (dropped) return;
            phase = next;
            answering = false;
            if (!internalBuffer().isReadable() || !ctx.channel().isActive()) return;
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER); // what arrived meanwhile, framed in the new phase
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        }

        /**
         * Bytes left at the close are a message cut off, or (while a handshake message is answered)
         * bytes a client sent before its answer came, which no client may do: both are counted.
         */
        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            decode(ctx, in, out);
            if (in.isReadable() && !dropped) {
                errors.dropped(NAME, ctx.channel().remoteAddress(), "connection closed with " + in.readableBytes()
                        + " bytes of " + (answering ? "a message sent before the last one was answered"
                        : "a truncated " + (phase == NbdFraming.Phase.TRANSMISSION ? "request" : "handshake message")));
            }
            in.skipBytes(in.readableBytes());
        }
    }

    /**
     * Passes messages to the connection on the disk threads. Requests wait here, and the socket is not
     * read, while the connection has too many in flight or the client does not take its replies: TCP
     * then pushes back on the client instead of us buffering without bound.
     */
    final class ConnectionHandler extends ChannelInboundHandlerAdapter {
        private final Framer framer;
        private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
        private NbdConnection connection;
        private NettyOutput output;
        private io.netty.util.concurrent.ScheduledFuture<?> timeout;
        private volatile boolean holding;
        /**
         * READ and WRITE bytes of requests sent to the disk threads whose replies have not reached the channel yet
         * (event loop only). A request leaves the connection's in-flight count on its disk thread, but its reply
         * reaches the channel (where the water mark sees it) only when the event loop runs the write task: counted
         * here until a task queued behind that write, so replies waiting for a busy event loop still hold requests
         * back. Without it a starved event loop let 64 MiB more be read while the last 64 MiB waited to be written.
         */
        private long handedOffBytes;
        /** Quick requests go to the disk threads until then (System.nanoTime), after one was slow (event loop only). */
        private long slowUntil = System.nanoTime();

        ConnectionHandler(Framer framer) {
            this.framer = framer;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            output = new NettyOutput(ctx);
            connection = new NbdConnection(output, catalog, events, refusalEvents, remote);
            connection.greet();
            timeout = ctx.executor().schedule(() -> {
                if (!connection.inTransmission()) {
                    errors.dropped(NAME, remote, "no export chosen within " + handshakeTimeout.toMillis() + " ms");
                    ctx.close();
                }
            }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            messages.increment();
            if (framer.phase() != NbdFraming.Phase.TRANSMISSION) {
                handshake(ctx, frame, framer.phase());
                return;
            }
            if (!waiting.isEmpty() || mustHold(ctx)) {
                hold(ctx);
                waiting.add(frame);
                // the requests in flight may all have finished before they could see the hold: look again
                if (!mustHold(ctx)) resumeWaiting(ctx);
                return;
            }
            dispatch(ctx, frame);
        }

        /**
         * One handshake message, answered on a disk thread; the framer waits for the answer. Its replies
         * are held until the framer reads in the phase they lead to: a client that sends its next message
         * as soon as it has the replies (nbd-client sends NBD_OPT_ABORT and hangs up) must not find the
         * framer still waiting, which would count its message as sent before the answer.
         */
        private void handshake(ChannelHandlerContext ctx, ByteBuf frame, NbdFraming.Phase phase) {
            output.holdReplies();
            Runnable answer = () -> {
                Handshake.Step step;
                try {
                    ByteBuffer b = frame.nioBuffer();
                    step = phase == NbdFraming.Phase.CLIENT_FLAGS ? connection.clientFlags(b) : connection.option(b);
                } catch (RuntimeException e) {
                    log.warn("NBD handshake with {} failed", ctx.channel().remoteAddress(), e);
                    step = null;
                } finally {
                    frame.release();
                }
                Handshake.Step done = step;
                onLoop(ctx, () -> answered(ctx, done));
            };
            try {
                disk.execute(answer);
            } catch (RejectedExecutionException stopping) {
                frame.release();
                output.stopHolding().run();
                ctx.close();
            }
        }

        /**
         * On the event loop: the held replies are written (their flush is a task queued behind this one,
         * so nothing reaches the client before the framer has moved on below), then the framer moves on,
         * which may frame and answer a message that came meanwhile: its replies follow these.
         */
        private void answered(ChannelHandlerContext ctx, Handshake.Step step) {
            output.stopHolding().run();
            if (step == null) {
                ctx.close();
                return;
            }
            switch (step.outcome()) {
                case CONTINUE -> framer.resume(NbdFraming.Phase.OPTIONS);
                case TRANSMISSION -> {
                    timeout.cancel(false);
                    framer.resume(NbdFraming.Phase.TRANSMISSION);
                }
                case CLOSE -> { } // the replies, then the close the connection asked for
                case DROP -> {
                    errors.dropped(NAME, ctx.channel().remoteAddress(), step.reason());
                    framer.drop();
                }
            }
        }

        /** One request to the disk threads; NBD_CMD_DISC stops reading and closes once the others are answered. */
        private void dispatch(ChannelHandlerContext ctx, ByteBuf frame) {
            Request r = Request.parse(frame.nioBuffer());
            if (r.type() == NbdProtocol.CMD_DISC) {
                frame.release();
                ctx.channel().config().setAutoRead(false); // the client may send nothing after it
                connection.disconnect();
                return;
            }
            if (!connection.admit(r)) {
                frame.release();
                return;
            }
            if (RequestPlacement.quick(r) && System.nanoTime() - slowUntil >= 0) {
                long start = System.nanoTime();
                execute(ctx, r, frame); // here: replies may go in any order, and the page cache answers at once
                long took = System.nanoTime() - start;
                if (took > RequestPlacement.SLOW_NANOS) slowUntil = start + took + RequestPlacement.BACK_OFF_NANOS;
                return;
            }
            long bytes = NbdConnection.cost(r);
            handedOffBytes += bytes;
            try {
                disk.execute(() -> {
                    execute(ctx, r, frame);
                    // behind the reply's write task: the reply is in the channel when this runs
                    onLoop(ctx, () -> {
                        handedOffBytes -= bytes;
                        if (holding) resumeWaiting(ctx);
                    });
                });
            } catch (RejectedExecutionException stopping) {
                handedOffBytes -= bytes;
                frame.release();
                connection.abandoned(r);
                ctx.close();
            }
        }

        private void execute(ChannelHandlerContext ctx, Request r, ByteBuf frame) {
            try {
                connection.execute(r, r.type() == NbdProtocol.CMD_WRITE ? Request.payload(frame.nioBuffer()) : null);
            } catch (RuntimeException e) {
                log.warn("NBD request {} from {} failed", NbdProtocol.commandName(r.type()),
                        ctx.channel().remoteAddress(), e);
                ctx.channel().close(); // its reply may be missing: the client would wait for it forever
            } finally {
                frame.release();
            }
        }

        private boolean mustHold(ChannelHandlerContext ctx) {
            return connection.inFlight() >= MAX_IN_FLIGHT || connection.inFlightBytes() >= MAX_IN_FLIGHT_BYTES
                    || handedOffBytes >= MAX_IN_FLIGHT_BYTES || !ctx.channel().isWritable();
        }

        private void hold(ChannelHandlerContext ctx) {
            if (holding) return;
            holding = true;
            paused.incrementAndGet();
            ctx.channel().config().setAutoRead(false);
        }

        /**
         * Runs what waited while the connection allows it; reads again once nothing waits (not after
         * NBD_CMD_DISC: the client sends nothing more). On the event loop.
         */
        private void resumeWaiting(ChannelHandlerContext ctx) {
            while (!waiting.isEmpty() && !mustHold(ctx) && ctx.channel().isActive()) dispatch(ctx, waiting.poll());
            if (holding && waiting.isEmpty() && !mustHold(ctx)) {
                holding = false;
                paused.decrementAndGet();
                if (ctx.channel().isActive() && !connection.disconnecting()) ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (holding && ctx.channel().isWritable()) resumeWaiting(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timeout != null) timeout.cancel(false);
            waiting.forEach(ByteBuf::release);
            waiting.clear();
            if (holding) {
                holding = false;
                paused.decrementAndGet();
            }
            if (connection != null) connection.closed();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                log.debug("NBD connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            } else {
                log.warn("NBD connection {} failed", ctx.channel().remoteAddress(), cause);
            }
            ctx.close();
        }
    }

    /** Runs {@code task} on the channel's event loop; a stopping server may refuse it, then there is nothing to do. */
    private static void onLoop(ChannelHandlerContext ctx, Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException stopping) {
            ctx.channel().close();
        }
    }

    /**
     * Replies out to Netty from any thread. Each reply is a task for the event loop, which writes it and,
     * unless one is pending already, queues a flush behind it: replies finishing together leave in one
     * system call. The flag lives on the event loop only, so no reply can slip in after a flush it
     * counted on. Closing is a task too, so it comes after every reply sent before it.
     */
    private static final class NettyOutput implements ReplyOutput {
        private final ChannelHandlerContext ctx;
        private boolean flushQueued; // event loop only
        private final Runnable flush;
        /**
         * While a handshake message is answered: the replies (and a close) in order, to leave once the
         * framer has moved on. Set on the event loop before the answer goes to a disk thread, filled
         * there, sent on the event loop after (each hand-over is an executor's, so each sees the last).
         */
        private volatile List<Runnable> held;

        NettyOutput(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.flush = () -> {
                flushQueued = false;
                ctx.flush();
            };
        }

        @Override
        public ReplyBuffer allocate(int length) {
            return new PooledReply(ctx.alloc().directBuffer(length, length), length);
        }

        @Override
        public void send(ReplyBuffer reply) {
            PooledReply p = (PooledReply) reply;
            write(p.buf.writerIndex(p.length));
        }

        @Override
        public void send(byte[] reply) {
            write(Unpooled.wrappedBuffer(reply));
        }

        private void write(ByteBuf b) {
            Runnable write = () -> {
                ctx.write(b, ctx.voidPromise()); // b is Netty's from here on
                if (!flushQueued) {
                    flushQueued = true;
                    try {
                        ctx.executor().execute(flush);
                    } catch (RejectedExecutionException stopping) {
                        ctx.flush();
                    }
                }
            };
            if (held != null && hold(write)) return;
            try {
                if (ctx.executor().inEventLoop()) write.run(); // a request answered where it was read
                else ctx.executor().execute(write);
            } catch (RejectedExecutionException stopping) {
                b.release();
            }
        }

        @Override
        public void close() {
            Runnable close = () -> ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (held != null && hold(close)) return; // an eviction may close from another connection's thread
            try {
                ctx.executor().execute(close);
            } catch (RejectedExecutionException stopping) {
                ctx.channel().close();
            }
        }

        /** Adds {@code task} to the held ones; false when holding stopped meanwhile (then it runs as usual). */
        private synchronized boolean hold(Runnable task) {
            if (held == null) return false;
            held.add(task);
            return true;
        }

        /** Replies from now on wait for {@link #stopHolding}. On the event loop. */
        synchronized void holdReplies() {
            held = new ArrayList<>(2);
        }

        /** Stops holding; returns what sends the held replies, in order. On the event loop. */
        synchronized Runnable stopHolding() {
            List<Runnable> replies = held;
            held = null;
            return replies == null ? () -> { } : () -> replies.forEach(Runnable::run);
        }
    }

    /** A pooled direct buffer seen as a ByteBuffer by the plain-Java layers. */
    private static final class PooledReply implements ReplyOutput.ReplyBuffer {
        final ByteBuf buf;
        final int length;
        private final ByteBuffer nio;

        PooledReply(ByteBuf buf, int length) {
            this.buf = buf;
            this.length = length;
            this.nio = buf.nioBuffer(0, length);
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
