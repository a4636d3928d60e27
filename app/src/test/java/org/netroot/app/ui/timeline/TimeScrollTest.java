package org.netroot.app.ui.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeScrollTest {
    @Test
    void aWindowThatShowsEverythingHasNothingToScroll() {
        TimeScroll s = TimeScroll.of(1_000, 11_000, 1_000, 10_000);
        assertFalse(s.needed(), "the screenshot showed a half-width thumb over a timeline that was all in view");
        assertEquals(1_000, s.value());
    }

    @Test
    void theThumbIsTheWindowsShareAndSitsWhereTheWindowIs() {
        // 30 s of events, a 10 s window showing the last 10 s (following live)
        TimeScroll s = TimeScroll.of(0, 30_000, 20_000, 10_000);
        assertTrue(s.needed());
        assertEquals(0, s.min());
        assertEquals(20_000, s.max(), "the latest start still shows the range's end");
        assertEquals(20_000, s.value(), "at the right end");
        double share = s.visibleAmount() / (s.max() - s.min()); // how JavaFX's ScrollBarSkin sizes the thumb
        assertEquals(1 / 3.0, share, 1e-9, "a third of the range is in view");
    }

    @Test
    void aWindowOutsideTheRangeIsClampedIntoIt() {
        TimeScroll s = TimeScroll.of(0, 30_000, 90_000, 10_000);
        assertEquals(20_000, s.value());
        assertEquals(0, TimeScroll.of(0, 30_000, -5_000, 10_000).value());
    }
}
