package org.netroot.app.ui.timeline;

/** The fixed geometry of the timeline drawing: label column, axis strip and lane height. */
final class TimelineLayout {
    static final double LABEL_WIDTH = 170;
    static final double AXIS_HEIGHT = 26;
    static final double LANE_HEIGHT = 26;
    static final double BAR_INSET = 5;
    static final double MIN_BAR_WIDTH = 4;
    static final double FAILED_WIDTH = 6;

    private TimelineLayout() {
    }

    /** Index of the first lane whose row is (partly) visible at vertical scroll {@code scrollY}. */
    static int firstLane(double scrollY) {
        return (int) Math.floor(scrollY / LANE_HEIGHT);
    }

    static double laneTop(int index, double scrollY) {
        return AXIS_HEIGHT + index * LANE_HEIGHT - scrollY;
    }

    static double contentHeight(int lanes) {
        return lanes * LANE_HEIGHT;
    }
}
