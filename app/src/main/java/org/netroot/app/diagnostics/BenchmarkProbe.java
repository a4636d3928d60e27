package org.netroot.app.diagnostics;

import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import org.netroot.app.model.AppModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The app benchmark's eyes inside the app ({@code bench/app.sh}), on only when the system property
 * {@code netroot.app.stats} names a file: writes, as "key value" lines, when the first window showed
 * and when the model first held the server's clients (epoch ms), the longest FX-thread pause since the
 * benchmark said "go" (the file {@code <stats>.go} appears) and the number of boot events the model got.
 */
public final class BenchmarkProbe {
    private final Path out;
    private final AppModel model;
    private final FxPauseMonitor pauses = new FxPauseMonitor(10);
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netroot-bench-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile long windowShownAt;
    private volatile long loadedAt;
    private volatile boolean going;
    private volatile int bootEvents;

    private BenchmarkProbe(Path out, AppModel model) {
        this.out = out;
        this.model = model;
    }

    /** Starts the probe when the benchmark asked for it; call on the FX thread once the window shows. */
    public static void startIfAsked(AppModel model) {
        String file = System.getProperty("netroot.app.stats");
        if (file == null || file.isBlank()) return;
        new BenchmarkProbe(Path.of(file), model).start();
    }

    private void start() {
        windowShownAt = System.currentTimeMillis();
        model.clients().addListener((ListChangeListener<Object>) c -> {
            // listed means the FX thread is done with the load (the rest of the lists, the cards, the
            // timeline), not that it began it: stamp it from the next task the FX thread runs
            if (loadedAt == 0 && !model.clients().isEmpty()) {
                Platform.runLater(() -> {
                    if (loadedAt == 0) loadedAt = System.currentTimeMillis();
                });
            }
        });
        model.bootEvents().addListener((ListChangeListener<Object>) c -> bootEvents = model.bootEvents().size());
        writer.scheduleAtFixedRate(this::write, 100, 250, TimeUnit.MILLISECONDS);
    }

    private void write() {
        Path go = Path.of(out + ".go");
        if (!going && Files.exists(go)) {
            pauses.resetMax();
            going = true;
        }
        String text = String.format(Locale.ROOT,
                "window_shown_epoch_ms %d%nloaded_epoch_ms %d%ngoing %b%nmax_fx_pause_ms %.1f%nmax_fx_pause_ended_epoch_ms %d%n"
                        + "probes %d%nboot_events %d%n",
                windowShownAt, loadedAt, going, pauses.maxPauseMillis(), pauses.maxPauseEndedAt(), pauses.probes(),
                bootEvents);
        try {
            Path tmp = Path.of(out + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Platform.runLater(() -> model.lastError().set("benchmark probe cannot write " + out + ": " + e.getMessage()));
        }
    }
}
