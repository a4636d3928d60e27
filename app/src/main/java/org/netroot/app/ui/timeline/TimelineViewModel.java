package org.netroot.app.ui.timeline;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.netroot.server.api.BootEvent;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Between the model's boot-event list and the timeline: sorts arriving events into lanes as they
 * come (appends and trims of the oldest are incremental; anything else rebuilds), holds the time window, "follow live" and the selected event. Every change
 * bumps {@link #version()} so the view redraws at most once per pulse. FX thread; no scene imports.
 */
public final class TimelineViewModel {
    private static final long DEFAULT_SPAN_MS = 120_000;

    private final ObservableList<BootEvent> source;
    private final LongSupplier clock;
    private final TimelineModel model = new TimelineModel();
    private final TimeWindow window;
    private final BooleanProperty followLive = new SimpleBooleanProperty(true);
    private final ObjectProperty<BootEvent> selected = new SimpleObjectProperty<>();
    private final ReadOnlyLongWrapper version = new ReadOnlyLongWrapper();

    public TimelineViewModel(ObservableList<BootEvent> source, LongSupplier clock) {
        this.source = source;
        this.clock = clock;
        this.window = new TimeWindow(clock.getAsLong() - DEFAULT_SPAN_MS, DEFAULT_SPAN_MS);
        window.follow(clock.getAsLong());
        model.addAll(source);
        source.addListener(this::onChanged);
        followLive.addListener((o, was, on) -> {
            if (on) follow();
        });
        selected.addListener((o, was, now) -> changed());
    }

    private void onChanged(ListChangeListener.Change<? extends BootEvent> c) {
        boolean rebuild = false;
        while (c.next()) {
            boolean appended = c.wasAdded() && !c.wasRemoved() && c.getTo() == source.size();
            boolean trimmedFront = c.wasRemoved() && !c.wasAdded() && c.getFrom() == 0;
            if (appended) model.addAll(c.getAddedSubList());
            else if (trimmedFront) model.dropOldest(c.getRemovedSize());
            else rebuild = true;
        }
        if (rebuild) rebuild();
        dropSelectionIfGone();
        changed();
    }

    private void rebuild() {
        model.clear();
        model.addAll(source);
    }

    private void dropSelectionIfGone() {
        BootEvent s = selected.get();
        if (s != null && laneOf(s) == null) selected.set(null);
    }

    public TimelineModel model() {
        return model;
    }

    public TimeWindow window() {
        return window;
    }

    public long now() {
        return clock.getAsLong();
    }

    public BooleanProperty followLive() {
        return followLive;
    }

    public ObjectProperty<BootEvent> selected() {
        return selected;
    }

    /** Grows on every change the drawing depends on. */
    public ReadOnlyLongProperty version() {
        return version.getReadOnlyProperty();
    }

    public void changed() {
        version.set(version.get() + 1);
    }

    /** Keeps "now" in view while following (called each pulse the view draws). */
    public void follow() {
        if (followLive.get()) window.follow(now());
        changed();
    }

    public void zoomIn() {
        zoom(2);
    }

    public void zoomOut() {
        zoom(0.5);
    }

    /** Zooms around "now" while following, else around the centre. */
    public void zoom(double factor) {
        if (followLive.get()) {
            window.zoom(factor, now());
            window.follow(now());
        } else {
            window.zoomAroundCentre(factor);
        }
        changed();
    }

    public void zoom(double factor, long anchorMs) {
        if (followLive.get()) zoom(factor);
        else {
            window.zoom(factor, anchorMs);
            changed();
        }
    }

    /** Moves the window by {@code deltaMs}; the user looks elsewhere, so following stops. */
    public void pan(double deltaMs) {
        followLive.set(false);
        window.pan(deltaMs);
        changed();
    }

    public void scrollTo(long startMs) {
        followLive.set(false);
        window.moveTo(startMs);
        changed();
    }

    /** Shows every event from the first to now (or the last, if later). */
    public void fit() {
        followLive.set(false);
        if (model.isEmpty()) window.follow(now());
        else window.fit(model.firstMs(), Math.max(model.lastMs(), Math.min(now(), model.lastMs() + 60_000)));
        changed();
    }

    /** The range the horizontal scroll bar covers: all events and now, plus what is on screen. */
    public long rangeStartMs() {
        return Math.min(window.startMs(), model.isEmpty() ? now() : model.firstMs());
    }

    public long rangeEndMs() {
        return Math.max(window.endMs(), Math.max(now(), model.isEmpty() ? now() : model.lastMs()));
    }

    public Lane laneOf(BootEvent e) {
        for (Lane l : model.lanes()) if (l.indexOf(e) >= 0) return l;
        return null;
    }

    /** Selects the previous (-1) or next (+1) event of the selected event's lane; brings it into view. */
    public void moveInLane(int direction) {
        BootEvent s = selected.get();
        Lane lane = s == null ? null : laneOf(s);
        if (lane == null) {
            selectFirstVisible();
            return;
        }
        List<BootEvent> events = lane.events();
        int i = Math.max(0, Math.min(events.size() - 1, lane.indexOf(s) + direction));
        select(events.get(i));
    }

    /** Selects the event nearest in time on the lane above (-1) or below (+1). */
    public void moveAcrossLanes(int direction) {
        BootEvent s = selected.get();
        Lane lane = s == null ? null : laneOf(s);
        if (lane == null) {
            selectFirstVisible();
            return;
        }
        List<Lane> lanes = model.lanes();
        int li = lanes.indexOf(lane) + direction;
        if (li < 0 || li >= lanes.size()) return;
        select(nearest(lanes.get(li), s.at().toEpochMilli()));
    }

    public void select(BootEvent e) {
        selected.set(e);
        if (e != null && !window.contains(e.at().toEpochMilli())) {
            followLive.set(false);
            window.moveTo(e.at().toEpochMilli() - window.spanMs() / 2);
            changed();
        }
    }

    private void selectFirstVisible() {
        for (Lane l : model.lanes()) {
            List<PhaseBar> bars = l.visible(window.startMs(), window.endMs(), now());
            if (!bars.isEmpty()) {
                select(bars.get(0).events().get(0));
                return;
            }
        }
        if (!model.lanes().isEmpty()) select(model.lanes().get(0).events().get(0));
    }

    private static BootEvent nearest(Lane lane, long ms) {
        BootEvent best = null;
        long bestGap = Long.MAX_VALUE;
        for (BootEvent e : lane.events()) {
            long gap = Math.abs(e.at().toEpochMilli() - ms);
            if (gap < bestGap) {
                best = e;
                bestGap = gap;
            }
        }
        return best;
    }
}
