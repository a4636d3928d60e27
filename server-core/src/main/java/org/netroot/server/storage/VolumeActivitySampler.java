package org.netroot.server.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.netroot.server.api.VolumeActivity;
import org.slf4j.LoggerFactory;

/**
 * Turns the open volumes' byte counters into rates, once a second, on one scheduled thread for the
 * whole server. It reports a volume's {@link VolumeActivity} when it had I/O in the last interval,
 * when it was opened or its client changed, once with zero rates when it went quiet, and once
 * (no client, zero rates) when it was closed. Reads counters only: no database, no disk.
 */
public final class VolumeActivitySampler implements AutoCloseable {
    public static final long INTERVAL_MS = 1000;

    private record Last(VolumeHandle handle, String clientName, long bytesRead, long bytesWritten, boolean busy) {
    }

    private final Supplier<List<OpenVolumes.Usage>> source;
    private final Consumer<VolumeActivity> sink;
    private final Map<String, Last> last = new HashMap<>();
    private volatile List<VolumeActivity> current = List.of();
    private long lastNanos;
    private ScheduledExecutorService timer;

    /** @param sink hears each activity worth reporting; it must return at once (the live stream queues) */
    public VolumeActivitySampler(Supplier<List<OpenVolumes.Usage>> source, Consumer<VolumeActivity> sink) {
        this.source = source;
        this.sink = sink;
    }

    /** Samples every {@link #INTERVAL_MS} on a daemon thread until closed. */
    public synchronized VolumeActivitySampler start() {
        lastNanos = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "volume-activity");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            sample(System.nanoTime(), Instant.now());
        } catch (RuntimeException e) {
            // one bad sample must not end the schedule (a failed run cancels it)
            LoggerFactory.getLogger(VolumeActivitySampler.class).warn("volume activity sample failed", e);
        }
    }

    /** The open volumes with the rates of the last interval (quiet ones at zero). */
    public List<VolumeActivity> current() {
        return current;
    }

    /**
     * One sample at {@code nanos} (monotonic) / {@code at} (for the record): computes the rates since
     * the previous sample and reports what changed. Returns what it reported.
     */
    public synchronized List<VolumeActivity> sample(long nanos, Instant at) {
        double seconds = Math.max(1e-3, (nanos - lastNanos) / 1e9);
        lastNanos = nanos;
        List<VolumeActivity> reported = new ArrayList<>();
        List<VolumeActivity> now = new ArrayList<>();
        Map<String, Last> seen = new HashMap<>();
        for (OpenVolumes.Usage u : source.get()) {
            Last before = last.get(u.volumeName());
            boolean opened = before == null || before.handle() != u.handle();
            long readBefore = opened ? 0 : before.bytesRead();
            long writtenBefore = opened ? 0 : before.bytesWritten();
            double readRate = (u.bytesRead() - readBefore) / seconds;
            double writeRate = (u.bytesWritten() - writtenBefore) / seconds;
            boolean busy = readRate > 0 || writeRate > 0;
            VolumeActivity a = new VolumeActivity(u.volumeName(), u.clientName(), u.bytesRead(), u.bytesWritten(),
                    readRate, writeRate, at);
            now.add(a);
            boolean clientChanged = !opened && !Objects.equals(before.clientName(), u.clientName());
            if (busy || opened || clientChanged || before.busy()) reported.add(a);
            seen.put(u.volumeName(), new Last(u.handle(), u.clientName(), u.bytesRead(), u.bytesWritten(), busy));
        }
        for (var e : last.entrySet()) {
            if (seen.containsKey(e.getKey())) continue;
            Last closed = e.getValue();
            reported.add(new VolumeActivity(e.getKey(), null, closed.bytesRead(), closed.bytesWritten(), 0, 0, at));
        }
        last.clear();
        last.putAll(seen);
        current = List.copyOf(now);
        for (VolumeActivity a : reported) sink.accept(a);
        return reported;
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
