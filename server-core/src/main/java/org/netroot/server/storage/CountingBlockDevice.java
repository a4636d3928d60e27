package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A {@link BlockDevice} that adds what it reads and writes to {@link IoCounters}; everything else passes through. */
final class CountingBlockDevice extends ForwardingBlockDevice {
    private final IoCounters counters;

    CountingBlockDevice(BlockDevice device, IoCounters counters) {
        super(device);
        this.counters = counters;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        super.read(offset, dst);
        counters.countRead(n);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        int n = src.remaining();
        super.write(offset, src);
        counters.countWritten(n);
    }
}
