package org.netroot.server.service;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Epoll on Linux (sendfile, SO_BINDTODEVICE), NIO elsewhere: the one place that chooses. */
public final class NettyTransport {
    private NettyTransport() {
    }

    public static boolean epoll() {
        return Epoll.isAvailable();
    }

    public static EventLoopGroup group(String name, int threads) {
        IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public static Class<? extends ServerChannel> serverSocketChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Stops a group at once: the default two-second quiet period only slows every stop and test. */
    public static void shutdown(EventLoopGroup group) {
        if (group != null) group.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Binds one listening channel per address, all on one port: when {@code port} is 0 the first bind
     * picks it and the others follow. If one bind fails, the ones made are closed and a
     * {@link BindFailed} naming the address thrown.
     */
    public static List<Channel> bindAll(AbstractBootstrap<?, ?> bootstrap, List<InetAddress> addresses, int port)
            throws BindFailed {
        List<Channel> bound = new ArrayList<>();
        InetAddress current = null;
        try {
            for (InetAddress address : addresses) {
                current = address;
                Channel ch = bootstrap.bind(new InetSocketAddress(address, port)).sync().channel();
                bound.add(ch);
                if (port == 0) port = ((InetSocketAddress) ch.localAddress()).getPort();
            }
            return bound;
        } catch (Exception e) {
            for (Channel ch : bound) ch.close().awaitUninterruptibly();
            throw new BindFailed(current, port, e);
        }
    }

    /** Whether a service's channels are all open: one closed means some address is no longer answered. */
    public static boolean allActive(List<Channel> channels) {
        return !channels.isEmpty() && channels.stream().allMatch(Channel::isActive);
    }

    /** Where the channels listen (a closed one may have no address any more). */
    public static List<InetSocketAddress> boundAddresses(List<Channel> channels) {
        return channels.stream().map(ch -> (InetSocketAddress) ch.localAddress()).filter(a -> a != null).toList();
    }

    /** The port the channels were bound to (one for all: {@link #bindAll}), or {@code none} before a bind. */
    public static int boundPort(List<Channel> channels, int none) {
        return channels.isEmpty() ? none : ((InetSocketAddress) channels.get(0).localAddress()).getPort();
    }

    /** A bind that failed, with the address and port it was for; the cause is the socket's error. */
    public static final class BindFailed extends Exception {
        private final transient InetAddress address;
        private final int port;

        public BindFailed(InetAddress address, int port, Throwable cause) {
            super((address == null ? "" : address.getHostAddress()) + ":" + port + ": " + cause.getMessage(), cause);
            this.address = address;
            this.port = port;
        }

        public InetAddress address() {
            return address;
        }

        public int port() {
            return port;
        }
    }

    /**
     * Whether a bind failed because the address is not (any more) on this machine: EADDRNOTAVAIL,
     * "Cannot assign requested address" on Linux (NIO and epoll alike), not a port held by another program.
     */
    public static boolean addressNotHere(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Cannot assign requested address") || m.contains("EADDRNOTAVAIL"))) return true;
        }
        return false;
    }

    /** The words for {@link #addressNotHere}: what happened and what to do. */
    public static String addressNotHereMessage(String service, InetAddress address, int port) {
        String a = address == null ? "its address" : address.getHostAddress();
        return service + " cannot listen on " + a + " port " + port + ": " + a + " is not an address of this machine"
                + " (any more?): its interface lost or changed its address. Once the interface has its address"
                + " again, start " + service + " again (restart netroot, or POST /api/services/" + service + "/start);"
                + " --listen-all listens on every address instead";
    }

    /** "a, b" of the addresses, for logs. */
    public static String describe(List<InetAddress> addresses) {
        return String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList());
    }

    /** Turns a failed bind of one known address into words a user can act on. */
    public static Exception bindFailure(String service, String proto, int port, Throwable cause) {
        return bindFailure(service, proto, new BindFailed(null, port, cause));
    }

    /** Turns a failed bind into words a user can act on. */
    public static Exception bindFailure(String service, String proto, BindFailed failed) {
        Throwable cause = failed.getCause();
        int port = failed.port();
        if (addressNotHere(cause)) {
            return new IllegalStateException(addressNotHereMessage(service, failed.address(), port), cause);
        }
        boolean denied = cause.getMessage() != null && cause.getMessage().toLowerCase().contains("permission denied");
        if (denied || (port < 1024 && cause instanceof java.net.SocketException && !(cause instanceof BindException))) {
            return new IllegalStateException(service + ": " + proto + " port " + port
                    + " needs privileges: run as root, run the netroot system service, or grant the JVM the right"
                    + " once with `sudo setcap cap_net_bind_service=+ep " + ProcessHandle.current().info().command()
                    .orElse("<path to java>") + "`", cause);
        }
        if (cause instanceof BindException || (cause.getMessage() != null && cause.getMessage().contains("in use"))) {
            return new IllegalStateException(service + ": " + proto + " port " + port
                    + " is already in use by another program (another DHCP/TFTP/web server or Netroot already running?)",
                    cause);
        }
        return new IllegalStateException(service + ": cannot listen on " + proto + " port " + port + ": "
                + cause.getMessage(), cause);
    }
}
