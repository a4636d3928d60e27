package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A {@link BlockDevice} that adds what it reads and writes to {@link IoCounters}; everything else passes through. */
final class CountingBlockDevice implements BlockDevice {
    private final BlockDevice device;
    private final IoCounters counters;

    /** The device counted (a format's own operations, e.g. qcow2 snapshots, are reached through it). */
    BlockDevice inner() {
        return device;
    }

    CountingBlockDevice(BlockDevice device, IoCounters counters) {
        this.device = device;
        this.counters = counters;
    }

    @Override
    public long sizeBytes() {
        return device.sizeBytes();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        device.read(offset, dst);
        counters.countRead(n);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        int n = src.remaining();
        device.write(offset, src);
        counters.countWritten(n);
    }

    @Override
    public void flush() throws IOException {
        device.flush();
    }

    @Override
    public void resize(long newSizeBytes) throws IOException {
        device.resize(newSizeBytes);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        device.discard(offset, length);
    }

    @Override
    public int discardGranularityBytes() {
        return device.discardGranularityBytes();
    }

    @Override
    public long allocatedBytes() {
        return device.allocatedBytes();
    }

    @Override
    public boolean readOnly() {
        return device.readOnly();
    }

    @Override
    public void close() throws IOException {
        device.close();
    }
}
