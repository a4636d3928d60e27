package org.netroot.server.dhcp;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A reply and where to send it; it leaves through the channel (interface and port) the request came
 * in on, and only once {@code sendAfter} has completed: an ACK waits for its lease to be stored
 * (RFC 2131 §4.3.2 lets a server ACK only what it has committed). If that write fails, the reply
 * is not sent: the client asks again.
 *
 * @param sendAfter the write this reply promises; completed for replies that promise nothing
 */
public record DhcpReply(DhcpPacket packet, InetSocketAddress destination, CompletableFuture<?> sendAfter) {
    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);

    public DhcpReply {
        if (sendAfter == null) sendAfter = NOTHING;
    }

    /** A reply that may leave at once. */
    public DhcpReply(DhcpPacket packet, InetSocketAddress destination) {
        this(packet, destination, NOTHING);
    }
}
