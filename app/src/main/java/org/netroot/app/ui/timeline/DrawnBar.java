package org.netroot.app.ui.timeline;

/** What the painter drew in its last frame, for tests and the benchmark: a bar of a lane and where. */
public record DrawnBar(String lane, BootPhase phase, long startMs, double x, double width) {
}
