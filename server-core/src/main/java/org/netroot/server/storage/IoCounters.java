package org.netroot.server.storage;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes read from and written to one open volume since it was opened. Counted on the I/O path
 * (a {@link LongAdder} add per command, no lock, no allocation); read about once a second by
 * {@link VolumeActivitySampler}.
 */
public final class IoCounters {
    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();

    public void countRead(long bytes) {
        read.add(bytes);
    }

    public void countWritten(long bytes) {
        written.add(bytes);
    }

    public long bytesRead() {
        return read.sum();
    }

    public long bytesWritten() {
        return written.sum();
    }
}
