package org.netroot.app.ui.timeline;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Where the time axis puts its ticks and what it writes under them: round steps, about one per 110 px. */
public final class TimeTicks {
    private static final long[] STEPS_MS = {10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
            60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000,
            86_400_000};
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAYS = DateTimeFormatter.ofPattern("MMM d HH:mm");

    public record Tick(long atMs, String label) {
    }

    private TimeTicks() {
    }

    /** The smallest round step that leaves at least {@code minPixels} between ticks. */
    public static long step(long spanMs, double width, double minPixels) {
        double msPerPixel = spanMs / Math.max(1, width);
        for (long s : STEPS_MS) if (s / msPerPixel >= minPixels) return s;
        return STEPS_MS[STEPS_MS.length - 1] * Math.max(1, Math.round(minPixels * msPerPixel / STEPS_MS[STEPS_MS.length - 1]));
    }

    /**
     * Whether a label {@code labelWidth} wide, centred on its tick at {@code x}, lies whole between
     * {@code left} and {@code right} (the plot's edges): one that would be cut, as "23:1" at the right
     * edge, is left out; its tick mark still shows.
     */
    public static boolean labelFits(double x, double labelWidth, double left, double right) {
        return x - labelWidth / 2 >= left && x + labelWidth / 2 <= right;
    }

    public static List<Tick> ticks(TimeWindow window, double width, ZoneId zone) {
        long step = step(window.spanMs(), width, 110);
        long offset = zone.getRules().getOffset(Instant.ofEpochMilli(window.startMs())).getTotalSeconds() * 1000L;
        long first = Math.floorDiv(window.startMs() + offset, step) * step - offset;
        DateTimeFormatter f = (step < 1_000 ? MILLIS : step < 60_000 ? SECONDS : step < 86_400_000 ? MINUTES : DAYS)
                .withZone(zone);
        List<Tick> out = new ArrayList<>();
        for (long t = first; t <= window.endMs(); t += step) {
            if (t >= window.startMs()) out.add(new Tick(t, f.format(Instant.ofEpochMilli(t))));
        }
        return out;
    }
}
