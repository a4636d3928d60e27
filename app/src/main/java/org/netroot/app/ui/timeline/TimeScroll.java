package org.netroot.app.ui.timeline;

/**
 * The horizontal scroll bar over time: its value is the window's start, from the earliest start that
 * shows the first event to the latest that shows now, and its thumb is the window's share of all of
 * it. When the window shows everything there is nothing to scroll: {@link #needed()} is false.
 *
 * @param visibleAmount in the bar's units (ms of start): a thumb of {@code span / (rangeEnd - rangeStart)}
 */
record TimeScroll(long min, long max, double visibleAmount, long value) {

    static TimeScroll of(long rangeStartMs, long rangeEndMs, long windowStartMs, long spanMs) {
        long min = rangeStartMs;
        long max = Math.max(min, rangeEndMs - spanMs); // the latest start: the window's end at the range's end
        long starts = max - min;
        double visible = (double) spanMs * starts / Math.max(1, starts + spanMs);
        return new TimeScroll(min, max, visible, Math.max(min, Math.min(max, windowStartMs)));
    }

    /** False when the window already shows the whole range. */
    boolean needed() {
        return max > min;
    }
}
