package org.netroot.app.ui.timeline;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.netroot.server.api.BootEvent;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.netroot.app.ui.timeline.TimelineLayout.AXIS_HEIGHT;
import static org.netroot.app.ui.timeline.TimelineLayout.BAR_INSET;
import static org.netroot.app.ui.timeline.TimelineLayout.FAILED_WIDTH;
import static org.netroot.app.ui.timeline.TimelineLayout.LABEL_WIDTH;
import static org.netroot.app.ui.timeline.TimelineLayout.LANE_HEIGHT;
import static org.netroot.app.ui.timeline.TimelineLayout.MIN_BAR_WIDTH;

/**
 * Draws one frame: only the lanes in view and, in each, only the bars inside the time window (found
 * by binary search), so a frame costs the same with 20 or 20,000 events. Remembers what it drew.
 */
final class TimelinePainter {
    private final Font font = Font.font(12);
    /** Measures axis labels (FX thread, as all painting). */
    private final javafx.scene.text.Text measure = new javafx.scene.text.Text();
    /**
     * Axis label widths in {@link #font}, the one font painting uses: every repaint draws the same few
     * labels again, and laying out text is the dear part of measuring it. Kept small: times move on.
     */
    private final java.util.Map<String, Double> labelWidths = new java.util.HashMap<>();
    private List<DrawnBar> drawn = List.of();

    /** Colours from the theme: text, muted text, the accent ("now") and the background of odd lanes. */
    record Ink(Color text, Color muted, Color accent, Color stripe) {
    }

    List<DrawnBar> lastDrawn() {
        return drawn;
    }

    void paint(GraphicsContext g, double width, double height, TimelineViewModel vm, double scrollY, Ink ink) {
        g.clearRect(0, 0, width, height);
        g.setFont(font);
        double plotWidth = Math.max(1, width - LABEL_WIDTH);
        TimeWindow window = vm.window();
        long now = vm.now();
        List<Lane> lanes = vm.model().lanes();
        List<DrawnBar> out = new ArrayList<>();
        BootEvent selected = vm.selected().get();
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(window, plotWidth, ZoneId.systemDefault());
        paintGrid(g, height, plotWidth, window, ticks, ink);
        int first = TimelineLayout.firstLane(scrollY);
        for (int i = Math.max(0, first); i < lanes.size(); i++) {
            double top = TimelineLayout.laneTop(i, scrollY);
            if (top > height) break;
            paintLane(g, lanes.get(i), i, top, plotWidth, window, now, selected, ink, out);
        }
        paintAxis(g, width, height, plotWidth, window, now, ticks, ink);
        if (lanes.isEmpty()) {
            g.setFill(ink.muted());
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText("No boots yet: each machine gets a lane here as it boots", width / 2, height / 2);
        }
        drawn = out;
    }

    private void paintLane(GraphicsContext g, Lane lane, int index, double top, double plotWidth, TimeWindow window,
                           long now, BootEvent selected, Ink ink, List<DrawnBar> out) {
        if (index % 2 == 1) {
            g.setFill(ink.stripe());
            g.fillRect(0, top, LABEL_WIDTH + plotWidth, LANE_HEIGHT);
        }
        g.save();
        g.beginPath();
        g.rect(LABEL_WIDTH, top, plotWidth, LANE_HEIGHT);
        g.clip();
        List<PhaseBar> bars = lane.visible(window.startMs(), window.endMs(), now);
        // long OS-reading bars first, so the short steps that share their start stay visible on top
        for (PhaseBar bar : bars) if (bar.phase() == BootPhase.OS_READING) paintBar(g, bar, top, plotWidth, window, now, selected, ink);
        for (PhaseBar bar : bars) if (bar.phase() != BootPhase.OS_READING) paintBar(g, bar, top, plotWidth, window, now, selected, ink);
        for (PhaseBar bar : bars) {
            double x = window.x(bar.startMs(), plotWidth);
            out.add(new DrawnBar(lane.label(), bar.phase(), bar.startMs(), x, width(bar, plotWidth, window, now)));
        }
        g.restore();
        g.setFill(ink.text());
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.save();
        g.beginPath();
        g.rect(0, top, LABEL_WIDTH - 6, LANE_HEIGHT);
        g.clip();
        g.fillText(lane.label(), 8, top + LANE_HEIGHT / 2);
        g.restore();
    }

    private static double width(PhaseBar bar, double plotWidth, TimeWindow window, long now) {
        return Math.max(bar.phase() == BootPhase.FAILED ? FAILED_WIDTH : MIN_BAR_WIDTH,
                window.x(bar.endMs(now), plotWidth) - window.x(bar.startMs(), plotWidth));
    }

    private void paintBar(GraphicsContext g, PhaseBar bar, double top, double plotWidth, TimeWindow window, long now,
                          BootEvent selected, Ink ink) {
        double x = LABEL_WIDTH + window.x(bar.startMs(), plotWidth);
        double w = width(bar, plotWidth, window, now);
        g.setFill(PhaseColors.of(bar.phase()));
        g.fillRect(x, top + BAR_INSET, w, LANE_HEIGHT - 2 * BAR_INSET);
        if (bar.phase() == BootPhase.FAILED) {
            g.fillPolygon(new double[]{x - 3, x + w + 3, x + w / 2}, new double[]{top + 1, top + 1, top + BAR_INSET + 2}, 3);
        }
        if (selected != null && bar.events().contains(selected)) {
            g.setStroke(ink.text());
            g.setLineWidth(2);
            g.strokeRect(x - 1, top + BAR_INSET - 2, w + 2, LANE_HEIGHT - 2 * BAR_INSET + 4);
            double sx = LABEL_WIDTH + window.x(selected.at().toEpochMilli(), plotWidth);
            g.strokeLine(sx, top + 1, sx, top + LANE_HEIGHT - 1);
        }
    }

    private void paintGrid(GraphicsContext g, double height, double plotWidth, TimeWindow window,
                           List<TimeTicks.Tick> ticks, Ink ink) {
        g.setStroke(ink.muted().deriveColor(0, 1, 1, 0.25));
        g.setLineWidth(1);
        for (TimeTicks.Tick t : ticks) {
            double x = Math.round(LABEL_WIDTH + window.x(t.atMs(), plotWidth)) + 0.5;
            g.strokeLine(x, AXIS_HEIGHT, x, height);
        }
    }

    /** The width an axis label takes in {@link #font} (a canvas cannot measure its own text). */
    private double labelWidth(String label) {
        Double known = labelWidths.get(label);
        if (known != null) return known;
        if (labelWidths.size() >= 256) labelWidths.clear();
        measure.setFont(font);
        measure.setText(label);
        double width = measure.getLayoutBounds().getWidth();
        labelWidths.put(label, width);
        return width;
    }

    private void paintAxis(GraphicsContext g, double width, double height, double plotWidth, TimeWindow window,
                           long now, List<TimeTicks.Tick> ticks, Ink ink) {
        g.clearRect(0, 0, width, AXIS_HEIGHT);
        g.setStroke(ink.muted().deriveColor(0, 1, 1, 0.5));
        g.setLineWidth(1);
        g.strokeLine(0, AXIS_HEIGHT - 0.5, width, AXIS_HEIGHT - 0.5);
        g.strokeLine(LABEL_WIDTH - 0.5, 0, LABEL_WIDTH - 0.5, height);
        g.setFill(ink.muted());
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (TimeTicks.Tick t : ticks) {
            double x = Math.round(LABEL_WIDTH + window.x(t.atMs(), plotWidth)) + 0.5;
            g.strokeLine(x, AXIS_HEIGHT - 6, x, AXIS_HEIGHT);
            if (TimeTicks.labelFits(x, labelWidth(t.label()), LABEL_WIDTH + 2, width - 2)) {
                g.fillText(t.label(), x, AXIS_HEIGHT / 2 - 1);
            }
        }
        if (window.contains(now)) {
            double x = Math.round(LABEL_WIDTH + window.x(now, plotWidth)) + 0.5;
            g.setStroke(ink.accent());
            g.setLineDashes(4, 3);
            g.strokeLine(x, AXIS_HEIGHT, x, height);
            g.setLineDashes((double[]) null);
        }
    }
}
