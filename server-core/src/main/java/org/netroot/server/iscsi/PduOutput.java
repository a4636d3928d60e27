package org.netroot.server.iscsi;

import java.nio.ByteBuffer;

/**
 * Where a connection sends its PDUs. The implementation writes the header, the data and the
 * padding to 4 bytes, and sets the header's DataSegmentLength. The Netty binding hands out
 * pooled direct buffers so reads go from disk to socket without a copy on the heap.
 */
public interface PduOutput {
    /** A buffer for command data (Data-In or collected Data-Out); release it when done. */
    DataBuffer allocate(int capacity);

    /** Sends a PDU with a small data segment (copied), or none when {@code data} is null. */
    void send(Bhs header, ByteBuffer data);

    /** Sends a PDU whose data segment is {@code length} bytes of {@code buffer} from {@code offset}. */
    void send(Bhs header, DataBuffer buffer, int offset, int length);

    void flush();

    /**
     * The connection's negotiated digests apply from the next PDU on, both ways (called right after the
     * final login response was sent, before it is flushed). Outputs that do not frame PDUs ignore it.
     */
    default void startDigests(boolean header, boolean data) {
    }

    /** Flushes what was sent, then closes the connection. */
    void close();

    /** Memory owned by the output: {@link #nio()} has position 0 and the requested limit. */
    interface DataBuffer {
        ByteBuffer nio();

        void release();
    }
}
