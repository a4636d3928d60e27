package org.netroot.app.ui.timeline;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time axis: round ticks, and labels drawn only where they are shown whole. */
class TimeTicksTest {
    @Test
    void aLabelIsDrawnOnlyWhereItFitsWholeBetweenThePlotsEdges() {
        double left = 172, right = 1062, width = 34; // "23:18" in 12 px
        assertTrue(TimeTicks.labelFits(600, width, left, right), "in the middle");
        assertTrue(TimeTicks.labelFits(right - width / 2, width, left, right), "touching the right edge");
        assertFalse(TimeTicks.labelFits(1050, width, left, right), "cut at the right edge, as \"23:1\" was");
        assertFalse(TimeTicks.labelFits(180, width, left, right), "under the lane names");
        assertTrue(TimeTicks.labelFits(left + width / 2, width, left, right), "touching the left edge");
    }

    @Test
    void ticksFallOnRoundMinutesAboutEvery110Pixels() {
        long start = 23 * 3_600_000L + 7 * 60_000L + 10_000; // 23:07:10 UTC on the epoch's day
        TimeWindow window = new TimeWindow(start, 11 * 60_000L);
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(window, 890, ZoneOffset.UTC);
        assertEquals(List.of("23:08", "23:10", "23:12", "23:14", "23:16", "23:18"),
                ticks.stream().map(TimeTicks.Tick::label).toList());
    }
}
