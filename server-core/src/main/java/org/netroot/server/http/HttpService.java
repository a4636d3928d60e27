package org.netroot.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallPhases;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.BindProblems;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.ServiceFacts;
import org.netroot.server.service.ManagedService;
import org.netroot.server.service.NettyTransport;
import org.netroot.server.store.ClientDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty binding of the boot HTTP service: scripts for iPXE and boot assets, zero-copy. */
public final class HttpService implements ManagedService {
    private static final Logger log = LoggerFactory.getLogger(HttpService.class);
    private static final int IDLE_SECONDS = 60;

    private final HttpSettings settings;
    private final BootRoutes routes;
    private final BootEventSink events;
    private final PeerDirectory peers;
    private final InputErrors errors;
    private EventLoopGroup group;
    /** One listening channel per bind address. */
    private volatile List<Channel> channels = List.of();
    private final LongAdder requestCount = new LongAdder();

    /** @param clients read in memory: scripts are answered on the event loop */
    public HttpService(HttpSettings settings, ClientDirectory clients, BootEventSink events, PeerDirectory peers,
                       InputErrors errors) {
        this(settings, new BootPlanner(clients::byMac, AssetCatalog.EMPTY, InstallPhases.NONE, settings.iscsiPort()),
                events, peers, errors);
    }

    /** @param planner what each client's script boots; reads only memory (scripts are answered on the event loop) */
    public HttpService(HttpSettings settings, BootPlanner planner, BootEventSink events, PeerDirectory peers,
                       InputErrors errors) {
        this.settings = settings;
        this.events = events;
        this.peers = peers;
        this.errors = errors;
        this.routes = new BootRoutes(planner, peers, new AssetResolver(settings.bootFilesDir()),
                new AssetResolver(settings.ipxeDir()), events);
    }

    /** The routes, to hear of the plans served (the install's progress). */
    public BootRoutes routes() {
        return routes;
    }

    @Override
    public String name() {
        return "HTTP";
    }

    @Override
    public synchronized void start() throws Exception {
        if (!channels.isEmpty()) return;
        group = NettyTransport.group("http", 0);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // a connection that neither sends nor receives for a minute is dropped: idle sockets
                        // must not pile up until the process runs out of file descriptors
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS));
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast(new RequestHandler());
                    }
                });
        List<InetAddress> addresses;
        try {
            addresses = settings.listen().resolve(); // now, not at construction: addresses come and go
            channels = NettyTransport.bindAll(b, addresses, settings.port());
        } catch (IllegalStateException e) {
            NettyTransport.shutdown(group);
            group = null;
            throw new IllegalStateException("HTTP: " + e.getMessage(), e);
        } catch (NettyTransport.BindFailed e) {
            NettyTransport.shutdown(group);
            group = null;
            throw BindProblems.explain("HTTP", "tcp", e.port(), e.address(), e.getCause(), "nginx, apache2, another web server",
                    "--http-port");
        }
        log.info("HTTP listening on {} port {}", NettyTransport.describe(addresses), port());
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return NettyTransport.boundPort(channels, settings.port());
    }

    @Override
    public ServiceFacts facts() {
        return ServiceFacts.listening(NettyTransport.boundAddresses(channels), settings.port(), "tcp", requestCount.sum());
    }

    @Override
    public synchronized void stop() {
        for (Channel ch : channels) ch.close().syncUninterruptibly();
        NettyTransport.shutdown(group);
        channels = List.of();
        group = null;
    }

    @Override
    public boolean isRunning() {
        return NettyTransport.allActive(channels);
    }

    final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
            if (req.decoderResult().isFailure()) {
                errors.dropped("HTTP", peer, "malformed request: " + req.decoderResult().cause());
                sendError(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", false);
                return;
            }
            requestCount.increment();
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            String host = local.getAddress().getHostAddress();
            String base = "http://" + host + (local.getPort() == 80 ? "" : ":" + local.getPort());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            boolean head = req.method().equals(HttpMethod.HEAD);
            BootRoutes.Answer answer = routes.answer(req.method().name(), req.uri(),
                    req.headers().get(HttpHeaderNames.RANGE), base, host, peer.getAddress());
            switch (answer) {
                case BootRoutes.Script s -> sendScript(ctx, s.body(), keepAlive, head);
                case BootRoutes.Failure f -> sendError(ctx, HttpResponseStatus.valueOf(f.status()), f.message(), keepAlive);
                case BootRoutes.Asset a -> sendAsset(ctx, a, keepAlive, head, peer, req.uri());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof IOException)) {
                errors.dropped("HTTP", ctx.channel().remoteAddress(), String.valueOf(cause));
            }
            ctx.close();
        }
    }

    private static void sendScript(ChannelHandlerContext ctx, String body, boolean keepAlive, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        finish(ctx, ctx.writeAndFlush(r), keepAlive);
    }

    private static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String message, boolean keepAlive) {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (status.code() == 416) r.headers().set(HttpHeaderNames.CONTENT_RANGE, message);
        finish(ctx, ctx.writeAndFlush(r), keepAlive);
    }

    private void sendAsset(ChannelHandlerContext ctx, BootRoutes.Asset a, boolean keepAlive, boolean head,
                           InetSocketAddress peer, String uri) {
        RandomAccessFile raf;
        try {
            raf = new RandomAccessFile(a.file().toFile(), "r");
        } catch (IOException e) {
            sendError(ctx, HttpResponseStatus.NOT_FOUND, "cannot open " + uri, keepAlive);
            return;
        }
        long start = a.range() == null ? 0 : a.range().first();
        long length = a.range() == null ? a.size() : a.range().length();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                a.range() == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        r.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        if (a.range() != null) r.headers().set(HttpHeaderNames.CONTENT_RANGE, a.range().contentRange(a.size()));
        if (!keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.write(r);
        if (head) {
            closeQuietly(raf);
            finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
            return;
        }
        long began = System.nanoTime();
        // zero-copy: sendfile(2) on epoll, FileChannel.transferTo on NIO
        ctx.write(new DefaultFileRegion(raf.getChannel(), start, length));
        ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (a.range() == null) { // a whole file is a boot step; ranges are a disk being read (sanboot over HTTP)
            done.addListener(f -> {
                if (f.isSuccess()) {
                    long ms = (System.nanoTime() - began) / 1_000_000;
                    events.record(BootEvent.transfer(peers.macOrNull(peer.getAddress()), BootEventType.BOOT_FILE_SENT,
                            a.served() != null ? "http " + a.served() : "http " + uri, ms, length));
                    if (a.handsOver() != null) {
                        events.record(BootEvent.of(peers.macOrNull(peer.getAddress()), BootEventType.HANDED_OVER,
                                a.handsOver()));
                    }
                }
            });
        }
        finish(ctx, done, keepAlive);
    }

    private static void finish(ChannelHandlerContext ctx, ChannelFuture f, boolean keepAlive) {
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    private static void closeQuietly(RandomAccessFile raf) {
        try {
            raf.close();
        } catch (IOException ignored) {
            // nothing to lose: opened read-only
        }
    }
}
