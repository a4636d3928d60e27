package org.netroot.server.control;

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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.AttributeKey;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.events.ChangeFeed;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.NettyTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback control API (HTTP + JSON) the CLI and the app use. Every request carries
 * {@code Authorization: Bearer <token>} from {@code <data>/control.json}. Requests run on virtual
 * threads (they touch the database and volume files), never on the event loop.
 * {@code GET /api/stream} (with {@code Last-Event-ID} or {@code ?after=ID}) is the live stream of
 * boot events and changes, served from memory ({@link ChangeFeed}), never from the database.
 */
public final class ControlApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlApiServer.class);

    /** Every response carries the API version, so any caller can tell what it talks to. */
    public static final String API_VERSION_HEADER = "Netroot-Api-Version";
    private static final AttributeKey<ChangeStream> STREAM = AttributeKey.valueOf("netroot.stream");

    private final ControlRoutes routes;
    private final ChangeFeed feed;
    private final ChangeStream.Stats streamStats = new ChangeStream.Stats();
    private final InputErrors errors;
    private final ControlEndpoint endpoint;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** Open streams, ended cleanly (last chunk) on close so followers see the end, not a reset. */
    private final java.util.Set<Channel> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private EventLoopGroup group;
    private Channel channel;

    public ControlApiServer(NetrootControl control, ChangeFeed feed, InputErrors errors, int port) {
        this.routes = new ControlRoutes(control);
        this.feed = feed;
        this.errors = errors;
        this.endpoint = ControlEndpoint.fresh(port);
    }

    /** Binds 127.0.0.1 and returns the endpoint (port, token) to publish in the data folder. */
    public ControlEndpoint start() throws Exception {
        group = NettyTransport.group("control", 1);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NettyTransport.serverSocketChannel())
                // small: a stream reader that stops reading makes the channel unwritable soon
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
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
        for (Channel s : streams) {
            s.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT)
                    .addListener(ChannelFutureListener.CLOSE).awaitUninterruptibly(1000);
        }
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
            if (q.path().equals("/api/stream")) {
                long after;
                try {
                    String lastEventId = req.headers().get("Last-Event-ID");
                    after = lastEventId != null && !lastEventId.isBlank() ? Long.parseLong(lastEventId.trim())
                            : ControlRoutes.longParam(query, "after", 0);
                } catch (IllegalArgumentException e) {
                    reply(ctx, ControlRoutes.error(400, "Last-Event-ID and after must be change ids (numbers)"), false);
                    return;
                }
                stream(ctx, after);
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
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ChangeStream stream = ctx.channel().attr(STREAM).get();
            if (stream != null && ctx.channel().isWritable()) stream.drain();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("control connection failed", cause);
            ctx.close();
        }
    }

    /** SSE: the head goes out once the subscriber is registered, so a caller that saw it misses nothing after. */
    private void stream(ChannelHandlerContext ctx, long afterId) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        head.headers().set(API_VERSION_HEADER, NetrootControl.API_VERSION);
        HttpUtil.setTransferEncodingChunked(head, true);
        ChangeStream stream = new ChangeStream(ctx.channel(), streamStats);
        streams.add(ctx.channel());
        ctx.channel().closeFuture().addListener(f -> streams.remove(ctx.channel()));
        ctx.channel().attr(STREAM).set(stream);
        stream.start(feed, afterId);
        ctx.writeAndFlush(head);
        stream.drain();
    }

    /** Stream readers dropped for reading too slowly since this server started. */
    public long droppedSlowReaders() {
        return streamStats.droppedSlowReaders.get();
    }

    /** The longest stream reader queue seen: never above {@link #streamQueueBound()}. */
    public int longestStreamQueue() {
        return streamStats.longestQueue.get();
    }

    public int streamQueueBound() {
        return feed.subscriberQueueBound();
    }

    private static void reply(ChannelHandlerContext ctx, ControlRoutes.Reply r, boolean keepAlive) {
        byte[] bytes = r.json().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(bytes));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        resp.headers().set(API_VERSION_HEADER, NetrootControl.API_VERSION);
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        var f = ctx.writeAndFlush(resp);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }
}
