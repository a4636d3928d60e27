package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link BlockDevice} that passes every operation to another one: a wrapper overrides only what it
 * adds to (counting, waiting, ...), and nothing of the device underneath (its discard granularity, say)
 * is lost on the way.
 */
public abstract class ForwardingBlockDevice implements BlockDevice {
    private final BlockDevice device;

    protected ForwardingBlockDevice(BlockDevice device) {
        this.device = device;
    }

    /** The device underneath. */
    public BlockDevice inner() {
        return device;
    }

    @Override
    public long sizeBytes() {
        return device.sizeBytes();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        device.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        device.write(offset, src);
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
