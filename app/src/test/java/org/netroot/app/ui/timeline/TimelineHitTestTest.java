package org.netroot.app.ui.timeline;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Point2D;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Pointing at a mark finds its event, and an event's mark is where the pointer finds it. */
class TimelineHitTestTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void pointsAndEventsMapBothWays() {
        ObservableList<BootEvent> events = FXCollections.observableArrayList();
        BootEvent a = new BootEvent(1, Instant.ofEpochMilli(T0 + 1_000), "m1", "a", BootEventType.SCRIPT_SERVED, null, null, null);
        BootEvent b = new BootEvent(2, Instant.ofEpochMilli(T0 + 5_000), "m2", "b", BootEventType.ERROR, "x", null, null);
        events.addAll(a, b);
        TimelineViewModel vm = new TimelineViewModel(events, () -> T0 + 10_000);
        vm.followLive().set(false);
        vm.window().moveTo(T0);
        TimelineHitTest hit = new TimelineHitTest(vm);
        double width = TimelineLayout.LABEL_WIDTH + 1_000;
        for (BootEvent e : new BootEvent[]{a, b}) {
            Point2D p = hit.locate(e, 0, width, 400);
            assertEquals(e, hit.eventAt(p.getX(), p.getY(), 0, width));
        }
        Point2D pa = hit.locate(a, 0, width, 400);
        assertNull(hit.eventAt(pa.getX() + 100, pa.getY(), 0, width), "empty time hits nothing");
        assertNull(hit.eventAt(pa.getX(), pa.getY() + TimelineLayout.LANE_HEIGHT * 5, 0, width), "below the lanes");
        assertNull(hit.eventAt(pa.getX(), pa.getY(), TimelineLayout.LANE_HEIGHT, width), "scrolled: lane b is there now");
        assertNull(hit.locate(a, 0, width, TimelineLayout.AXIS_HEIGHT + 5), "out of view vertically");
    }
}
