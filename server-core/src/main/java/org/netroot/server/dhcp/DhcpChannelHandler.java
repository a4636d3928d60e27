package org.netroot.server.dhcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one DHCP channel (an interface and a port): hands each datagram to the
 * responder and sends its reply, but an ACK only once the lease it promises is stored (RFC 2131
 * §4.3.2: a server ACKs only what it has committed), and never when that write failed: the client
 * asks again. The event loop does not wait for the disk meanwhile; it serves the next client.
 */
final class DhcpChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(DhcpService.class);

    /** What {@link DhcpResponder#handle} does: one datagram in, at most one reply out. */
    interface Responder {
        Optional<DhcpReply> handle(ByteBuffer datagram, Arrival arrival);
    }

    private final ServedInterface on;
    private final int port;
    private final Responder responder;
    private final DroppedAcks dropped;

    DhcpChannelHandler(ServedInterface on, int port, Responder responder, DroppedAcks dropped) {
        this.on = on;
        this.port = port;
        this.responder = responder;
        this.dropped = dropped;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket in) {
        Arrival arrival = new Arrival(on, port, in.sender());
        responder.handle(in.content().nioBuffer(), arrival).ifPresent(reply -> {
            if (reply.sendAfter().isDone() && !reply.sendAfter().isCompletedExceptionally()) {
                send(ctx, reply);
                return;
            }
            // an ACK: its lease is being stored on the writer thread; the loop serves others meanwhile
            reply.sendAfter().whenComplete((stored, failure) -> ctx.channel().eventLoop().execute(() -> {
                if (failure == null) send(ctx, reply);
                else dropped.dropped(reply, on.name(), failure);
            }));
        });
    }

    private void send(ChannelHandlerContext ctx, DhcpReply reply) {
        DatagramPacket out = new DatagramPacket(Unpooled.wrappedBuffer(reply.packet().encode()), reply.destination());
        ctx.writeAndFlush(out).addListener(f -> {
            if (!f.isSuccess()) {
                log.warn("DHCP: could not send {} to {} on {}: {}", reply.packet().messageType(),
                        reply.destination(), on.name(), f.cause().toString());
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("DHCP channel {} port {}: {}", on.name(), port, cause.toString());
    }
}
