package org.netroot.server.iscsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A PduOutput that keeps what the connection sent, for tests on bytes. */
final class RecordingOutput implements PduOutput {
    record Sent(Bhs bhs, byte[] data) {
        int opcode() {
            return bhs.opcode();
        }
    }

    final List<Sent> sent = new ArrayList<>();
    boolean closed;
    int allocated;
    int released;

    @Override
    public DataBuffer allocate(int capacity) {
        allocated++;
        ByteBuffer b = ByteBuffer.allocate(capacity);
        return new DataBuffer() {
            @Override
            public ByteBuffer nio() {
                return b;
            }

            @Override
            public void release() {
                released++;
            }
        };
    }

    @Override
    public void send(Bhs header, ByteBuffer data) {
        byte[] d = new byte[data == null ? 0 : data.remaining()];
        if (data != null) data.duplicate().get(d);
        header.dataSegmentLength(d.length);
        sent.add(new Sent(header.copy(), d));
    }

    @Override
    public void send(Bhs header, DataBuffer buffer, int offset, int length) {
        byte[] d = new byte[length];
        buffer.nio().duplicate().position(offset).get(d);
        header.dataSegmentLength(length);
        sent.add(new Sent(header.copy(), d));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        closed = true;
    }

    List<Sent> take() {
        List<Sent> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
