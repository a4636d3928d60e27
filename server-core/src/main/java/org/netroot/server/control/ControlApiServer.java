package org.netroot.server.control;

import org.netroot.server.api.Json;
import org.netroot.server.api.ControlEndpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.events.BootEventBus;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.NettyTransport;
import org.netroot.server.service.ServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback control API (HTTP + JSON) the CLI and the app use. Every request carries
 * {@code Authorization: Bearer <token>} from {@code <data>/control.json}. Requests run on virtual
 * threads (they touch the database and volume files), never on the event loop.
 * {@code GET /api/events/stream?after=ID} is a server-sent-event stream of boot events.
 */
public final class ControlApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlApiServer.class);

    private final ControlRoutes routes;
    private final NetrootControl control;
    private final BootEventBus bus;
    private final InputErrors errors;
    private final ControlEndpoint endpoint;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private EventLoopGroup group;
    private Channel channel;

    public ControlApiServer(NetrootControl control, ServiceManager services, BootEventBus bus, InputErrors errors,
                            int port) {
        this.control = control;
        this.routes = new ControlRoutes(control, services);
        this.bus = bus;
        this.errors = errors;
        this.endpoint = ControlEndpoint.fresh(port);
    }

    /** Binds 127.0.0.1 and returns the endpoint (port, token) to publish in the data folder. */
    public ControlEndpoint start() throws Exception {
        group = NettyTransport.group("control", 1);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NettyTransport.serverSocketChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                });
        try {
            channel = b.bind("127.0.0.1", endpoint.port()).sync().channel();
        } catch (Exception e) {
            NettyTransport.shutdown(group);
            throw NettyTransport.bindFailure("control API", "TCP", endpoint.port(), e);
        }
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        return new ControlEndpoint(port, endpoint.token());
    }

    @Override
    public void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        NettyTransport.shutdown(group);
        workers.shutdownNow();
    }

    private boolean authorized(FullHttpRequest req) {
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String expected = "Bearer " + endpoint.token();
        return h != null && MessageDigest.isEqual(h.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (req.decoderResult().isFailure()) {
                errors.dropped("control", ctx.channel().remoteAddress(), "malformed request");
                reply(ctx, ControlRoutes.error(400, "malformed request"), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!authorized(req)) {
                reply(ctx, ControlRoutes.error(401, "missing or wrong token: read it from the data folder's "
                        + ControlEndpoint.FILE_NAME), keepAlive);
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            Map<String, String> query = new HashMap<>();
            q.parameters().forEach((k, v) -> query.put(k, v.get(0)));
            if (q.path().equals("/api/events/stream")) {
                stream(ctx, ControlRoutes.longParam(query, "after", 0));
                return;
            }
            String method = req.method().name();
            String body = req.content().toString(StandardCharsets.UTF_8);
            workers.execute(() -> {
                ControlRoutes.Reply r;
                try {
                    r = routes.handle(method, q.path(), query, body);
                } catch (RuntimeException e) {
                    r = ControlRoutes.error(500, "internal error: " + e);
                }
                reply(ctx, r, keepAlive);
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("control connection failed", cause);
            ctx.close();
        }
    }

    private void stream(ChannelHandlerContext ctx, long afterId) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        workers.execute(() -> new EventStream(ctx, afterId).run());
    }

    /**
     * One follower: live events are held back while the backlog is sent page by page, then
     * released in order; ids dedupe the overlap. Nothing falls between backlog and live.
     */
    private final class EventStream {
        private final ChannelHandlerContext ctx;
        private final java.util.ArrayDeque<BootEvent> held = new java.util.ArrayDeque<>();
        private long lastSent;
        private boolean live;

        EventStream(ChannelHandlerContext ctx, long afterId) {
            this.ctx = ctx;
            this.lastSent = afterId;
        }

        void run() {
            Runnable unsubscribe = bus.subscribe(this::onLive);
            ctx.channel().closeFuture().addListener(f -> unsubscribe.run());
            try {
                while (ctx.channel().isActive()) {
                    List<BootEvent> page = control.events(lastSent, 1000);
                    if (page.isEmpty()) break;
                    for (BootEvent e : page) sendInOrder(e);
                }
                synchronized (this) {
                    while (!held.isEmpty()) sendInOrder(held.poll());
                    live = true;
                }
            } catch (RuntimeException e) {
                log.warn("event stream failed", e);
                ctx.close();
            }
        }

        private synchronized void onLive(BootEvent e) {
            if (live) sendInOrder(e);
            else held.add(e);
        }

        private synchronized void sendInOrder(BootEvent e) {
            if (e.id() <= lastSent) return;
            lastSent = e.id();
            try {
                String line = "id: " + e.id() + "\ndata: " + Json.MAPPER.writeValueAsString(e) + "\n\n";
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8)));
            } catch (Exception ex) {
                ctx.close();
            }
        }
    }

    private static void reply(ChannelHandlerContext ctx, ControlRoutes.Reply r, boolean keepAlive) {
        byte[] bytes = r.json().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(bytes));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        var f = ctx.writeAndFlush(resp);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }
}
