package org.netroot.app.ui.timeline;

import javafx.animation.AnimationTimer;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.util.Duration;
import org.netroot.server.api.BootEvent;

import java.time.ZoneId;
import java.util.List;

import static org.netroot.app.ui.timeline.TimelineLayout.LABEL_WIDTH;
import static org.netroot.app.ui.timeline.TimelineLayout.LANE_HEIGHT;

/**
 * The drawing surface: a canvas the size of the view (never of all lanes) with its own scroll bars.
 * Redraws at most once per pulse, and only when something changed or, while live, four times a
 * second so open bars grow. Mouse: hover for a tooltip, click to select, drag or scroll to pan,
 * Ctrl+scroll to zoom at the pointer.
 */
final class TimelineCanvas extends Region {
    private static final long LIVE_REDRAW_NS = 250_000_000;

    private final TimelineViewModel vm;
    private final Canvas canvas = new Canvas();
    private final ScrollBar lanesBar = new ScrollBar();
    private final ScrollBar timeBar = new ScrollBar();
    private final Label textInk = new Label();
    private final Label mutedInk = new Label();
    private final Label accentInk = new Label();
    private final Label stripeInk = new Label();
    private final TimelinePainter painter = new TimelinePainter();
    private final Tooltip tooltip = new Tooltip();
    private final TimelineHitTest hitTest;
    private long drawnVersion = -1;
    private long lastDrawNs;
    private boolean syncingBars;
    private double dragX = Double.NaN;
    private String hoverText;

    TimelineCanvas(TimelineViewModel vm) {
        this.vm = vm;
        this.hitTest = new TimelineHitTest(vm);
        getStyleClass().add("timeline-canvas");
        lanesBar.setOrientation(Orientation.VERTICAL);
        lanesBar.setId("timeline-lanes-scroll");
        timeBar.setId("timeline-time-scroll");
        lanesBar.setFocusTraversable(false);
        timeBar.setFocusTraversable(false);
        for (Label ink : List.of(textInk, mutedInk, accentInk, stripeInk)) {
            ink.setManaged(false);
            ink.setVisible(false);
        }
        textInk.getStyleClass().add("timeline-ink-text");
        mutedInk.getStyleClass().add("timeline-ink-muted");
        accentInk.getStyleClass().add("timeline-ink-accent");
        stripeInk.getStyleClass().add("timeline-ink-stripe");
        getChildren().addAll(canvas, lanesBar, timeBar, textInk, mutedInk, accentInk, stripeInk);
        tooltip.setShowDelay(Duration.millis(150));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(520);
        lanesBar.valueProperty().addListener((o, a, b) -> vm.changed());
        timeBar.valueProperty().addListener((o, a, b) -> {
            if (!syncingBars) vm.scrollTo(Math.round(b.doubleValue()));
        });
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::hover);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hideTooltip());
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::press);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::drag);
        canvas.addEventHandler(ScrollEvent.SCROLL, this::scroll);
        AnimationTimer redraw = new AnimationTimer() {
            @Override
            public void handle(long nowNs) {
                pulse(nowNs);
            }
        };
        // runs only while the view is shown in a window on screen: an active timer keeps JavaFX pulsing at
        // 60 Hz, so a hidden timeline (another view, the window closed to the tray or minimized) costs nothing
        javafx.beans.binding.BooleanBinding onScreen = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()
                        && !(getScene().getWindow() instanceof javafx.stage.Stage stage && stage.isIconified()),
                sceneProperty());
        javafx.beans.value.ChangeListener<Boolean> showing = (o, was, now) -> onScreen.invalidate();
        sceneProperty().addListener((o, was, now) -> {
            if (was != null) was.windowProperty().removeListener(windowListener);
            if (now != null) now.windowProperty().addListener(windowListener);
            watchWindow(was == null ? null : was.getWindow(), now == null ? null : now.getWindow(), showing);
        });
        windowListener = (o, was, now) -> {
            watchWindow(was, now, showing);
            onScreen.invalidate();
        };
        onScreen.addListener((o, was, now) -> {
            if (now) redraw.start();
            else redraw.stop();
        });
        if (onScreen.get()) redraw.start();
    }

    private javafx.beans.value.ChangeListener<javafx.stage.Window> windowListener;

    private static void watchWindow(javafx.stage.Window was, javafx.stage.Window now,
                                    javafx.beans.value.ChangeListener<Boolean> showing) {
        if (was instanceof javafx.stage.Stage stage) stage.iconifiedProperty().removeListener(showing);
        if (now instanceof javafx.stage.Stage stage) stage.iconifiedProperty().addListener(showing);
        if (was != null) was.showingProperty().removeListener(showing);
        if (now != null) now.showingProperty().addListener(showing);
    }

    /** What the last frame drew (lane, phase, start, x): the read-out tests and the benchmark use. */
    List<DrawnBar> lastDrawn() {
        return painter.lastDrawn();
    }

    /** The tooltip text for the event under the pointer, null when none. */
    String hoverText() {
        return hoverText;
    }

    TimelineViewModel viewModel() {
        return vm;
    }

    Canvas canvas() {
        return canvas;
    }

    private void pulse(long nowNs) {
        if (canvas.getWidth() < 1 || canvas.getHeight() < 1) return;
        boolean live = nowNs - lastDrawNs >= LIVE_REDRAW_NS;
        if (live && vm.followLive().get()) vm.follow();
        if (vm.version().get() == drawnVersion && !live) return;
        draw();
        lastDrawNs = nowNs;
    }

    /** Draws now (normally the pulse does it). */
    void draw() {
        drawnVersion = vm.version().get();
        syncScrollBars();
        painter.paint(canvas.getGraphicsContext2D(), canvas.getWidth(), canvas.getHeight(), vm, lanesBar.getValue(),
                new TimelinePainter.Ink(color(textInk.getTextFill(), Color.BLACK), color(mutedInk.getTextFill(), Color.GRAY),
                        color(accentInk.getTextFill(), Color.DODGERBLUE), color(stripeInk.getTextFill(), Color.TRANSPARENT)));
    }

    private void syncScrollBars() {
        syncingBars = true;
        double view = Math.max(0, canvas.getHeight() - TimelineLayout.AXIS_HEIGHT);
        double content = TimelineLayout.contentHeight(vm.model().lanes().size());
        lanesBar.setMax(Math.max(0, content - view));
        lanesBar.setVisibleAmount(content <= 0 ? 1 : view * Math.max(1, content - view) / content);
        lanesBar.setUnitIncrement(LANE_HEIGHT);
        lanesBar.setBlockIncrement(Math.max(LANE_HEIGHT, view - LANE_HEIGHT));
        if (lanesBar.getValue() > lanesBar.getMax()) lanesBar.setValue(lanesBar.getMax());
        lanesBar.setVisible(lanesBar.getMax() > 0);
        long span = vm.window().spanMs();
        TimeScroll time = TimeScroll.of(vm.rangeStartMs(), vm.rangeEndMs(), vm.window().startMs(), span);
        timeBar.setMin(time.min());
        timeBar.setMax(time.max());
        timeBar.setVisibleAmount(time.visibleAmount());
        timeBar.setUnitIncrement(span / 10.0);
        timeBar.setBlockIncrement(span * 0.9);
        timeBar.setValue(time.value());
        timeBar.setVisible(time.needed());
        syncingBars = false;
    }

    private static Color color(Paint p, Color fallback) {
        return p instanceof Color c ? c : fallback;
    }

    private double plotWidth() {
        return Math.max(1, canvas.getWidth() - LABEL_WIDTH);
    }

    /** The event under a point of the canvas, else null. */
    BootEvent eventAt(double x, double y) {
        return hitTest.eventAt(x, y, lanesBar.getValue(), canvas.getWidth());
    }

    /** Where an event's mark is on the canvas, for tests; null when not in view. */
    Point2D locate(BootEvent e) {
        return hitTest.locate(e, lanesBar.getValue(), canvas.getWidth(), canvas.getHeight());
    }

    private void hover(MouseEvent m) {
        BootEvent e = eventAt(m.getX(), m.getY());
        if (e == null) {
            hideTooltip();
            return;
        }
        PhaseBar bar = vm.laneOf(e) == null ? null : vm.laneOf(e).barOf(e);
        String phase = bar == null || bar.phase() == BootPhase.FAILED ? "" : EventText.phaseLine(bar, vm.now()) + "\n\n";
        hoverText = phase + EventText.describe(e, ZoneId.systemDefault());
        tooltip.setText(hoverText);
        if (!tooltip.isShowing()) tooltip.show(canvas, m.getScreenX() + 14, m.getScreenY() + 14);
        else {
            tooltip.setAnchorX(m.getScreenX() + 14);
            tooltip.setAnchorY(m.getScreenY() + 14);
        }
    }

    private void hideTooltip() {
        hoverText = null;
        tooltip.hide();
    }

    private void press(MouseEvent m) {
        requestFocus();
        dragX = m.getX();
        BootEvent e = eventAt(m.getX(), m.getY());
        if (e != null || m.getClickCount() == 1) vm.selected().set(e);
    }

    private void drag(MouseEvent m) {
        if (Double.isNaN(dragX)) return;
        double dx = m.getX() - dragX;
        dragX = m.getX();
        hideTooltip();
        vm.pan(-dx * vm.window().spanMs() / plotWidth());
    }

    private void scroll(ScrollEvent s) {
        if (s.isControlDown()) {
            if (s.getDeltaY() == 0) return;
            long anchor = vm.window().at(Math.max(0, s.getX() - LABEL_WIDTH), plotWidth());
            vm.zoom(s.getDeltaY() > 0 ? 1.25 : 0.8, anchor);
        } else if (s.isShiftDown() || Math.abs(s.getDeltaX()) > Math.abs(s.getDeltaY())) {
            double d = s.isShiftDown() && s.getDeltaX() == 0 ? s.getDeltaY() : s.getDeltaX();
            vm.pan(-d * vm.window().spanMs() / plotWidth());
        } else {
            lanesBar.setValue(Math.max(0, Math.min(lanesBar.getMax(), lanesBar.getValue() - s.getDeltaY())));
        }
        s.consume();
    }

    /** Scrolls the lanes so lane {@code index} is in view. */
    void revealLane(int index) {
        double top = index * LANE_HEIGHT;
        double view = canvas.getHeight() - TimelineLayout.AXIS_HEIGHT;
        if (top < lanesBar.getValue()) lanesBar.setValue(top);
        else if (top + LANE_HEIGHT > lanesBar.getValue() + view) lanesBar.setValue(Math.min(lanesBar.getMax(), top + LANE_HEIGHT - view));
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth() - snappedLeftInset() - snappedRightInset();
        double h = getHeight() - snappedTopInset() - snappedBottomInset();
        double vw = lanesBar.prefWidth(-1);
        double hh = timeBar.prefHeight(-1);
        double x = snappedLeftInset();
        double y = snappedTopInset();
        canvas.setWidth(Math.max(0, w - vw));
        canvas.setHeight(Math.max(0, h - hh));
        canvas.relocate(x, y);
        lanesBar.resizeRelocate(x + w - vw, y, vw, Math.max(0, h - hh));
        timeBar.resizeRelocate(x + LABEL_WIDTH, y + h - hh, Math.max(0, w - vw - LABEL_WIDTH), hh);
        vm.changed();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 800;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 400;
    }
}
