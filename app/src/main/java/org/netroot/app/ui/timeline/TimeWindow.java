package org.netroot.app.ui.timeline;

/**
 * The span of time the timeline shows: a start and a length in epoch milliseconds, with zoom around
 * a moment, pan, fit and follow. Plain arithmetic, no screen.
 */
public final class TimeWindow {
    public static final long MIN_SPAN_MS = 100;
    public static final long MAX_SPAN_MS = 30L * 24 * 3600 * 1000;
    /** Following, "now" sits this far into the window so the newest bar is visible with room to grow. */
    static final double FOLLOW_AT = 0.9;

    private double startMs;
    private double spanMs;

    public TimeWindow(long startMs, long spanMs) {
        this.startMs = startMs;
        this.spanMs = clampSpan(spanMs);
    }

    public long startMs() {
        return Math.round(startMs);
    }

    public long spanMs() {
        return Math.round(spanMs);
    }

    public long endMs() {
        return Math.round(startMs + spanMs);
    }

    /** factor > 1 zooms in (a shorter span); {@code anchorMs} stays where it is on screen. */
    public void zoom(double factor, long anchorMs) {
        double next = clampSpan(spanMs / factor);
        startMs = anchorMs - (anchorMs - startMs) * next / spanMs;
        spanMs = next;
    }

    public void zoomAroundCentre(double factor) {
        zoom(factor, Math.round(startMs + spanMs / 2));
    }

    public void pan(double deltaMs) {
        startMs += deltaMs;
    }

    public void moveTo(long newStartMs) {
        startMs = newStartMs;
    }

    /** Shows [fromMs, toMs] with a small margin on both sides. */
    public void fit(long fromMs, long toMs) {
        double span = clampSpan(Math.max(0, toMs - fromMs) * 1.1);
        startMs = (fromMs + toMs) / 2.0 - span / 2;
        spanMs = span;
    }

    /** Keeps the span, places {@code nowMs} near the right edge. */
    public void follow(long nowMs) {
        startMs = nowMs - spanMs * FOLLOW_AT;
    }

    public boolean contains(long ms) {
        return ms >= startMs && ms <= startMs + spanMs;
    }

    /** Screen x of a moment for a drawing {@code width} pixels wide. */
    public double x(long ms, double width) {
        return (ms - startMs) * width / spanMs;
    }

    /** The moment at screen x. */
    public long at(double x, double width) {
        return Math.round(startMs + x * spanMs / width);
    }

    private static double clampSpan(double span) {
        return Math.max(MIN_SPAN_MS, Math.min(MAX_SPAN_MS, span));
    }
}
