package org.netroot.app.diagnostics;

import javafx.application.Platform;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long the FX thread is busy between two chances to run a task: a probe is posted
 * every {@code periodMs}; the delay until it runs is the pause a click would have felt. Keeps the
 * longest pause since the last {@link #resetMax()}. Used by the app benchmark only.
 */
public final class FxPauseMonitor implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netroot-fx-pause-monitor");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong maxPauseNanos = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private volatile long maxPauseEndedAt;

    public FxPauseMonitor(long periodMs) {
        timer.scheduleAtFixedRate(this::probe, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        long posted = System.nanoTime();
        Platform.runLater(() -> {
            long pause = System.nanoTime() - posted;
            if (maxPauseNanos.accumulateAndGet(pause, Math::max) == pause) maxPauseEndedAt = System.currentTimeMillis();
            probes.incrementAndGet();
        });
    }

    /** The longest delay an FX task waited since the last reset, in milliseconds. */
    public double maxPauseMillis() {
        return maxPauseNanos.get() / 1e6;
    }

    /** When the longest pause ended (epoch ms), to find what caused it in a profile; 0 before any. */
    public long maxPauseEndedAt() {
        return maxPauseEndedAt;
    }

    public long probes() {
        return probes.get();
    }

    public void resetMax() {
        maxPauseNanos.set(0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
