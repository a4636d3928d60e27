package org.netroot.app.ui.timeline;

import org.netroot.server.api.BootEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One bar of a lane: a phase from {@code startMs} to {@code endMs} (epoch milliseconds), built from
 * one or more events. An open bar (OS reading before the logout) ends "now".
 */
public final class PhaseBar {
    private final BootPhase phase;
    private final List<BootEvent> events = new ArrayList<>(2);
    private long startMs;
    private long endMs;
    private boolean open;

    PhaseBar(BootPhase phase, long startMs, long endMs, BootEvent first) {
        this.phase = phase;
        this.startMs = startMs;
        this.endMs = endMs;
        events.add(first);
    }

    public BootPhase phase() {
        return phase;
    }

    public long startMs() {
        return startMs;
    }

    /** Where the bar ends when {@code nowMs} is the present (an open bar grows with it). */
    public long endMs(long nowMs) {
        return open ? Math.max(endMs, nowMs) : endMs;
    }

    public boolean open() {
        return open;
    }

    /** The events this bar was built from, oldest first. */
    public List<BootEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public BootEvent lastEvent() {
        return events.get(events.size() - 1);
    }

    void extend(BootEvent e, long fromMs, long toMs) {
        events.add(e);
        startMs = Math.min(startMs, fromMs);
        endMs = Math.max(endMs, toMs);
    }

    /**
     * Forgets event {@code e} (dropped from the timeline); returns true when none is left. The bar
     * keeps its span: the phase did run then, even if its first message is no longer held.
     */
    boolean drop(BootEvent e) {
        events.remove(e);
        return events.isEmpty();
    }

    void setOpen(boolean open) {
        this.open = open;
    }

    /** Ends an open bar at {@code atMs}; {@code e} (the logout) joins its events unless null. */
    void close(BootEvent e, long atMs) {
        open = false;
        if (e != null) events.add(e);
        endMs = Math.max(endMs, atMs);
    }

    @Override
    public String toString() {
        return phase + "[" + startMs + ".." + (open ? "now" : endMs) + "]";
    }
}
