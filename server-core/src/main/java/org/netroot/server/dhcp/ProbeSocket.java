package org.netroot.server.dhcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The probe's socket: UDP port 68 on one interface (SO_BINDTODEVICE through Netty's epoll channel,
 * as {@link DhcpService} binds), one broadcast to port 67, then whatever arrives until the wait ends.
 * Needs CAP_NET_BIND_SERVICE for port 68 (and CAP_NET_RAW before Linux 5.7): said in words when missing.
 */
final class ProbeSocket {
    static final int CLIENT_PORT = 68;
    static final int SERVER_PORT = 67;

    record Received(byte[] data, InetAddress from) {
    }

    private ProbeSocket() {
    }

    static List<Received> exchange(String interfaceName, byte[] packet, Duration wait) {
        requireInterface(interfaceName);
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("looking for a DHCP server needs Linux (Netty's epoll transport): "
                    + Epoll.unavailabilityCause());
        }
        List<Received> received = new CopyOnWriteArrayList<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel ch = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                    .option(ChannelOption.SO_BROADCAST, true).option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                            received.add(new Received(ByteBufUtil.getBytes(p.content()), p.sender().getAddress()));
                        }
                    }).register().sync().channel();
            try {
                bindToDevice(ch, interfaceName);
                bind(ch, interfaceName);
                ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet),
                        new InetSocketAddress(InetAddress.getByAddress(new byte[] {-1, -1, -1, -1}), SERVER_PORT))).sync();
                Thread.sleep(wait.toMillis());
            } finally {
                ch.close().awaitUninterruptibly();
            }
            return List.copyOf(received);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for a DHCP server on " + interfaceName, e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not send a DHCP DISCOVER on " + interfaceName + ": " + e.getMessage(), e);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void requireInterface(String name) {
        try {
            if (name == null || NetworkInterface.getByName(name) == null) {
                throw new IllegalStateException("there is no network interface named " + name + " on this machine");
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot read network interface " + name + ": " + e.getMessage(), e);
        }
    }

    private static void bindToDevice(Channel ch, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 15) throw new IllegalStateException("interface name longer than 15 bytes: " + name);
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        buf.put(bytes).position(0);
        try {
            ch.config().setOption(DhcpService.BIND_TO_DEVICE, buf);
        } catch (RuntimeException e) {
            throw new IllegalStateException("not allowed to send on interface " + name + " alone (SO_BINDTODEVICE needs"
                    + " CAP_NET_RAW before Linux 5.7): " + privilegeFix() + " (" + e.getMessage() + ")", e);
        }
    }

    private static void bind(Channel ch, String name) throws Exception {
        try {
            ch.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), CLIENT_PORT)).sync();
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Permission denied") || m.contains("EACCES") || m.contains("Operation not permitted")) {
                throw new IllegalStateException("not allowed to use the DHCP client port 68 on " + name + ": "
                        + privilegeFix(), e);
            }
            if (m.contains("in use")) {
                throw new IllegalStateException("the DHCP client port 68 on " + name + " is taken by another program", e);
            }
            throw e;
        }
    }

    static String privilegeFix() {
        return "run as root or as the netroot system service, or let this Java do it once with `sudo setcap"
                + " cap_net_bind_service,cap_net_raw=+ep " + ProcessHandle.current().info().command()
                .orElse("<path to java>") + "`";
    }
}
