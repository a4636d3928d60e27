package org.netroot.app.ui.timeline;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeWindowTest {
    @Test
    void zoomKeepsTheAnchorInPlace() {
        TimeWindow w = new TimeWindow(0, 10_000);
        double before = w.x(2_500, 1000);
        w.zoom(2, 2_500);
        assertEquals(5_000, w.spanMs());
        assertEquals(before, w.x(2_500, 1000), 0.01);
        w.zoom(0.25, 2_500);
        assertEquals(20_000, w.spanMs());
    }

    @Test
    void spanStaysWithinLimits() {
        TimeWindow w = new TimeWindow(0, 1_000);
        w.zoom(1e9, 0);
        assertEquals(TimeWindow.MIN_SPAN_MS, w.spanMs());
        w.zoom(1e-12, 0);
        assertEquals(TimeWindow.MAX_SPAN_MS, w.spanMs());
    }

    @Test
    void fitFollowPanAndMapping() {
        TimeWindow w = new TimeWindow(0, 1_000);
        w.fit(10_000, 20_000);
        assertTrue(w.contains(10_000) && w.contains(20_000));
        assertEquals(11_000, w.spanMs());
        w.follow(50_000);
        assertTrue(w.contains(50_000));
        assertEquals(50_000 - 9_900, w.startMs());
        w.pan(100);
        assertEquals(50_000 - 9_800, w.startMs());
        assertEquals(w.startMs() + 5_500, w.at(500, 1000));
    }

    @Test
    void ticksAreRoundAndSpacedForTheWidth() {
        TimeWindow w = new TimeWindow(1_000, 60_000);
        assertEquals(10_000, TimeTicks.step(60_000, 660, 110));
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(w, 660, ZoneOffset.UTC);
        assertEquals(List.of(10_000L, 20_000L, 30_000L, 40_000L, 50_000L, 60_000L),
                ticks.stream().map(TimeTicks.Tick::atMs).toList());
        assertEquals("00:00:10", ticks.get(0).label());
        assertEquals("00:00:00.500", TimeTicks.ticks(new TimeWindow(0, 1_000), 440, ZoneOffset.UTC).get(1).label());
    }
}
