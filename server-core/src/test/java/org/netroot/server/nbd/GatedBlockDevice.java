package org.netroot.server.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.ForwardingBlockDevice;

/** A device whose reads wait until the test opens the gate, and are counted once done: what the server read, when. */
final class GatedBlockDevice extends ForwardingBlockDevice {
    private final CountDownLatch gate;
    final AtomicInteger reads = new AtomicInteger();

    GatedBlockDevice(BlockDevice device, CountDownLatch gate) {
        super(device);
        this.gate = gate;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) throw new IOException("the test never opened the gate");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        super.read(offset, dst);
        reads.incrementAndGet();
    }
}
