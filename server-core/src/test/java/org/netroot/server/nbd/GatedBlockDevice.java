package org.netroot.server.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.netroot.server.storage.BlockDevice;

/** A device whose reads wait until the test opens the gate, and are counted once done: what the server read, when. */
final class GatedBlockDevice implements BlockDevice {
    private final BlockDevice device;
    private final CountDownLatch gate;
    final AtomicInteger reads = new AtomicInteger();

    GatedBlockDevice(BlockDevice device, CountDownLatch gate) {
        this.device = device;
        this.gate = gate;
    }

    @Override
    public long sizeBytes() {
        return device.sizeBytes();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) throw new IOException("the test never opened the gate");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        device.read(offset, dst);
        reads.incrementAndGet();
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
