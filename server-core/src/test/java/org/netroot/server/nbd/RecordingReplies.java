package org.netroot.server.nbd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A ReplyOutput that keeps every reply as bytes, for tests on bytes; counts buffers handed out and given back. */
final class RecordingReplies implements ReplyOutput {
    final List<byte[]> sent = new ArrayList<>();
    final AtomicInteger allocated = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    volatile boolean closed;

    @Override
    public ReplyBuffer allocate(int length) {
        allocated.incrementAndGet();
        ByteBuffer b = ByteBuffer.allocate(length);
        return new ReplyBuffer() {
            @Override
            public ByteBuffer nio() {
                return b;
            }

            @Override
            public void release() {
                released.incrementAndGet();
            }
        };
    }

    @Override
    public synchronized void send(ReplyBuffer reply) {
        sent.add(reply.nio().array().clone());
        reply.release();
    }

    @Override
    public synchronized void send(byte[] reply) {
        sent.add(reply.clone());
    }

    @Override
    public void close() {
        closed = true;
    }

    synchronized byte[] last() {
        return sent.get(sent.size() - 1);
    }

    synchronized int count() {
        return sent.size();
    }

    synchronized void clear() {
        sent.clear();
    }

    /** Every buffer handed out was sent or given back. */
    boolean balanced() {
        return allocated.get() == released.get();
    }

    // ---- reading replies back ------------------------------------------------------------------

    /** A transmission reply as the client reads it: simple or one structured chunk. */
    record Parsed(boolean structured, int flags, int type, long handle, int error, byte[] payload) {
        /** A structured ERROR chunk's message. */
        String message() {
            ByteBuffer b = ByteBuffer.wrap(payload);
            int n = b.getShort(4) & 0xffff;
            return new String(payload, 6, n, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Parsed parse(byte[] reply) {
        ByteBuffer b = ByteBuffer.wrap(reply);
        int magic = b.getInt();
        if (magic == NbdProtocol.SIMPLE_REPLY_MAGIC) {
            int error = b.getInt();
            long handle = b.getLong();
            byte[] data = new byte[b.remaining()];
            b.get(data);
            return new Parsed(false, 0, -1, handle, error, data);
        }
        if (magic != NbdProtocol.STRUCTURED_REPLY_MAGIC) throw new AssertionError("not a reply: magic " + Integer.toHexString(magic));
        int flags = b.getShort() & 0xffff;
        int type = b.getShort() & 0xffff;
        long handle = b.getLong();
        int length = b.getInt();
        if (length != b.remaining()) throw new AssertionError("chunk says " + length + " bytes, carries " + b.remaining());
        byte[] payload = new byte[length];
        b.get(payload);
        int error = (type & 0x8000) != 0 ? ByteBuffer.wrap(payload).getInt() : 0;
        return new Parsed(true, flags, type, handle, error, payload);
    }

    /** An option reply: option, type, data. */
    record OptionReply(int option, int type, byte[] data) {
        String text() {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static OptionReply parseOption(byte[] reply) {
        ByteBuffer b = ByteBuffer.wrap(reply);
        if (b.getLong() != NbdProtocol.OPTION_REPLY_MAGIC) throw new AssertionError("not an option reply");
        int option = b.getInt();
        int type = b.getInt();
        int length = b.getInt();
        if (length != b.remaining()) throw new AssertionError("option reply says " + length + " bytes, carries " + b.remaining());
        byte[] data = new byte[length];
        b.get(data);
        return new OptionReply(option, type, data);
    }
}
