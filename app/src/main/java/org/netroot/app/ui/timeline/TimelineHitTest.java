package org.netroot.app.ui.timeline;

import javafx.geometry.Point2D;
import org.netroot.server.api.BootEvent;

import java.util.List;

import static org.netroot.app.ui.timeline.TimelineLayout.AXIS_HEIGHT;
import static org.netroot.app.ui.timeline.TimelineLayout.LABEL_WIDTH;
import static org.netroot.app.ui.timeline.TimelineLayout.LANE_HEIGHT;

/** Between canvas points and events: what is under the pointer, and where an event is drawn. */
final class TimelineHitTest {
    /** A point this close (in pixels) to a bar still hits it: thin bars must be easy to point at. */
    static final double SLACK_PX = 4;

    private final TimelineViewModel vm;

    TimelineHitTest(TimelineViewModel vm) {
        this.vm = vm;
    }

    /** The event nearest in time among the bars at (x, y) of a canvas {@code width} wide, else null. */
    BootEvent eventAt(double x, double y, double scrollY, double width) {
        if (x < LABEL_WIDTH || y < AXIS_HEIGHT) return null;
        int laneIndex = (int) Math.floor((y - AXIS_HEIGHT + scrollY) / LANE_HEIGHT);
        List<Lane> lanes = vm.model().lanes();
        if (laneIndex < 0 || laneIndex >= lanes.size()) return null;
        TimeWindow w = vm.window();
        double plot = plotWidth(width);
        double px = x - LABEL_WIDTH;
        long t = w.at(px, plot);
        long slack = w.at(px + SLACK_PX, plot) - t;
        BootEvent best = null;
        long bestGap = Long.MAX_VALUE;
        for (PhaseBar bar : lanes.get(laneIndex).visible(t - slack, t + slack, vm.now())) {
            for (BootEvent e : bar.events()) {
                long gap = Math.abs(e.at().toEpochMilli() - t);
                if (gap < bestGap) {
                    best = e;
                    bestGap = gap;
                }
            }
        }
        return best;
    }

    /** The middle of an event's mark (its lane, at its time), or null when it is out of view. */
    Point2D locate(BootEvent e, double scrollY, double width, double height) {
        Lane lane = vm.laneOf(e);
        if (lane == null) return null;
        double y = TimelineLayout.laneTop(vm.model().lanes().indexOf(lane), scrollY) + LANE_HEIGHT / 2;
        PhaseBar bar = lane.barOf(e);
        double x = LABEL_WIDTH + vm.window().x(e.at().toEpochMilli(), plotWidth(width));
        if (bar != null && bar.phase() == BootPhase.FAILED) x += TimelineLayout.FAILED_WIDTH / 2;
        else if (bar != null && bar.startMs() == bar.endMs(vm.now())) x += TimelineLayout.MIN_BAR_WIDTH / 2;
        if (x < LABEL_WIDTH || x > width || y < AXIS_HEIGHT || y > height) return null;
        return new Point2D(x, y);
    }

    private static double plotWidth(double width) {
        return Math.max(1, width - LABEL_WIDTH);
    }
}
