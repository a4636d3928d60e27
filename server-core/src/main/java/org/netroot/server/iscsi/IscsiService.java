package org.netroot.server.iscsi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iSCSI portal: binds TCP, frames PDUs and hands them to one {@link IscsiConnection} per
 * connection. Commands run on the connection's event loop (reads go from the volume into a
 * pooled direct buffer and out without another copy); responses are flushed once per read.
 */
public final class IscsiService implements ManagedService {
    private static final Logger log = LoggerFactory.getLogger(IscsiService.class);
    /** Threads running SCSI commands; 0 runs them on the event loops (-Dnetroot.iscsi.commandThreads). */
    private static final int DISK_THREADS = Integer.getInteger("netroot.iscsi.commandThreads", 16);

    private final IscsiSettings settings;
    private final TargetServices services;
    private final InputErrors errors;
    private EventLoopGroup group;
    private EventExecutorGroup diskThreads;
    private Channel server;
    private ChannelGroup connections;

    public IscsiService(IscsiSettings settings, TargetCatalog targets, BootEventSink events, PeerDirectory peers,
                        InputErrors errors) {
        this.settings = settings;
        this.services = new TargetServices(targets, new ActiveSessions(), events, peers);
        this.errors = errors;
    }

    @Override
    public String name() {
        return "iSCSI";
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) return;
        group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        // commands run on these threads (one per connection, in order), so a slow disk read for one
        // client never stalls the sockets of the others sharing its event loop
        diskThreads = DISK_THREADS > 0 ? new DefaultEventExecutorGroup(DISK_THREADS) : null;
        connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("framer", new Framer(errors));
                        ch.pipeline().addLast(diskThreads, "connection", new ConnectionHandler());
                    }
                });
        try {
            server = b.bind(new InetSocketAddress(settings.bindAddress(), settings.port())).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully();
            if (diskThreads != null) diskThreads.shutdownGracefully();
            group = null;
            if (e instanceof BindException || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new BindException("iSCSI port " + settings.port() + " is in use (another iSCSI target such as tgt"
                        + " or a second Netroot?): stop it or choose another --iscsi-port");
            }
            if (String.valueOf(e.getMessage()).contains("Permission denied")) {
                throw new BindException("iSCSI port " + settings.port() + " needs CAP_NET_BIND_SERVICE: run"
                        + " `sudo setcap cap_net_bind_service=+ep $(readlink -f $(which java))` or use the service");
            }
            throw e;
        }
        log.info("iSCSI portal listening on {}", server.localAddress());
    }

    @Override
    public synchronized void stop() {
        if (server == null) return;
        server.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (diskThreads != null) diskThreads.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        server = null;
        group = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null && server.isActive();
    }

    /** The port actually bound (differs from the settings when they ask for port 0). */
    public synchronized int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Normal sessions currently holding a volume (one writer per volume). */
    public int activeSessions() {
        return services.sessions().count();
    }

    /** Cuts the byte stream into whole PDUs; anything that cannot be a PDU is counted and the connection closed. */
    private static final class Framer extends ByteToMessageDecoder {
        private final InputErrors errors;

        Framer(InputErrors errors) {
            this.errors = errors;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int readable = in.readableBytes();
            if (readable < Bhs.LENGTH) return;
            int length;
            try {
                length = PduFraming.frameLength(in.nioBuffer(in.readerIndex(), Bhs.LENGTH),
                        SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH);
            } catch (MalformedPduException e) {
                errors.dropped("iSCSI", ctx.channel().remoteAddress(), e.getMessage());
                in.skipBytes(readable);
                ctx.close();
                return;
            }
            if (readable < length) return;
            out.add(in.readRetainedSlice(length));
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

    /** Feeds whole PDUs to the connection's state machine, on the channel's event loop. */
    private final class ConnectionHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private IscsiConnection connection;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connection = new IscsiConnection(new NettyOutput(ctx), services,
                    (InetSocketAddress) ctx.channel().localAddress(), (InetSocketAddress) ctx.channel().remoteAddress());
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            try {
                connection.receive(PduFraming.parse(frame.nioBuffer()));
            } catch (MalformedPduException e) {
                errors.dropped("iSCSI", ctx.channel().remoteAddress(), e.getMessage());
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (connection != null) connection.closed();
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

        NettyOutput(ChannelHandlerContext ctx) {
            this.ctx = ctx;
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
            ByteBuf b = ctx.alloc().directBuffer(Bhs.LENGTH + padded);
            b.writeBytes(header.bytes());
            if (n > 0) b.writeBytes(data.duplicate());
            b.writeZero(padded - n);
            ctx.write(b, ctx.voidPromise());
        }

        @Override
        public void send(Bhs header, DataBuffer buffer, int offset, int length) {
            header.dataSegmentLength(length);
            int pad = PduFraming.padded(length) - length;
            ByteBuf head = ctx.alloc().directBuffer(Bhs.LENGTH).writeBytes(header.bytes());
            // a retained slice: the command releases its buffer right away, Netty releases the slice once written
            ByteBuf body = ((PooledBuffer) buffer).buf.retainedSlice(offset, length);
            // one write per PDU: from the command threads each write is a task for the event loop
            ctx.write(pad > 0 ? Unpooled.wrappedBuffer(head, body, Unpooled.wrappedBuffer(PAD, 0, pad))
                    : Unpooled.wrappedBuffer(head, body), ctx.voidPromise());
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
