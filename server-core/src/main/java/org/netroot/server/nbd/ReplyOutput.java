package org.netroot.server.nbd;

import java.nio.ByteBuffer;

/**
 * Where a connection sends what it says to the client. Callable from any thread: replies go out
 * in the order each thread sent them, and replies to different requests in any order (the protocol
 * allows it). The Netty binding hands out pooled direct buffers, so a READ goes from the volume into
 * the buffer the socket writes, with no copy on the heap.
 */
public interface ReplyOutput {
    /** Memory for one reply of {@code length} bytes, header and data; send or release it. */
    ReplyBuffer allocate(int length);

    /** Sends a reply filled in {@code reply}'s memory ({@link ReplyBuffer#nio()} from 0 to its limit); takes it over. */
    void send(ReplyBuffer reply);

    /** Sends a small reply (copied or wrapped: the caller does not touch it again). */
    void send(byte[] reply);

    /** Sends what was sent, then closes the connection. */
    void close();

    /** Memory owned by the output: {@link #nio()} has position 0 and the requested limit. */
    interface ReplyBuffer {
        ByteBuffer nio();

        void release();
    }
}
