package org.netroot.server.testing;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;

/**
 * An EmbeddedChannel with socket addresses, as a service's handlers expect of a TCP channel (they
 * name the peer and look it up by address). Add the handlers, then fire channelActive.
 */
public final class PeerChannel extends EmbeddedChannel {
    private final SocketAddress local;
    private final SocketAddress peer;

    public PeerChannel(SocketAddress local, SocketAddress peer) {
        this.local = local;
        this.peer = peer;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return peer;
    }
}
