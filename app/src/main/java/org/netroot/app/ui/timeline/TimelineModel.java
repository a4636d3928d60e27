package org.netroot.app.ui.timeline;

import org.netroot.server.api.BootEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Boot events sorted into lanes, one per client (or per MAC while no client name is known), kept in
 * alphabetical order (numbers by value, see LaneOrder) so lanes never jump while a boot runs. Built incrementally: each event costs a
 * map look-up and a few list operations, whatever the number of events already held.
 */
public final class TimelineModel {
    private static final String UNKNOWN = "(unknown machine)";

    private final Map<String, Lane> byKey = new HashMap<>();
    private final Map<String, String> clientOfMac = new HashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    /** The lane of every event added, oldest first (empty lane for an unusable event), so the oldest can be dropped. */
    private final ArrayDeque<Lane> arrival = new ArrayDeque<>();
    private final Lane nowhere = new Lane("", "");
    private long lastMs = Long.MIN_VALUE;
    private int eventCount;

    public void addAll(List<? extends BootEvent> events) {
        for (BootEvent e : events) add(e);
    }

    public void add(BootEvent e) {
        if (e == null || e.at() == null || e.type() == null) {
            arrival.addLast(nowhere);
            return;
        }
        Lane lane = laneFor(e);
        lane.add(e);
        arrival.addLast(lane);
        lastMs = Math.max(lastMs, e.at().toEpochMilli());
        eventCount++;
    }

    /** Forgets the {@code count} events added first (the app model dropped them); lanes left empty go. */
    public void dropOldest(int count) {
        for (int i = 0; i < count && !arrival.isEmpty(); i++) {
            Lane lane = arrival.removeFirst();
            if (lane == nowhere) continue;
            eventCount--;
            if (lane.dropOldest()) {
                lanes.remove(lane);
                byKey.remove(lane.key());
            }
        }
    }

    public void clear() {
        byKey.clear();
        clientOfMac.clear();
        lanes.clear();
        arrival.clear();
        lastMs = Long.MIN_VALUE;
        eventCount = 0;
    }

    /** Lanes in alphabetical order of their label. */
    public List<Lane> lanes() {
        return Collections.unmodifiableList(lanes);
    }

    public Lane lane(String label) {
        for (Lane l : lanes) if (l.label().equals(label)) return l;
        return null;
    }

    public int eventCount() {
        return eventCount;
    }

    public boolean isEmpty() {
        return eventCount == 0;
    }

    /** Earliest moment any bar starts (epoch ms); meaningless when empty. */
    public long firstMs() {
        long first = Long.MAX_VALUE;
        for (Lane l : lanes) if (!l.phases().isEmpty()) first = Math.min(first, l.phases().get(0).startMs());
        return first == Long.MAX_VALUE ? lastMs : first;
    }

    public long lastMs() {
        return lastMs;
    }

    private Lane laneFor(BootEvent e) {
        String name = e.clientName();
        String mac = e.mac();
        if (name == null && mac != null) name = clientOfMac.get(mac);
        if (name != null && mac != null) clientOfMac.put(mac, name);
        String key = name != null ? "client:" + name : mac != null ? "mac:" + mac : "unknown";
        Lane lane = byKey.get(key);
        if (lane == null) {
            lane = new Lane(key, name != null ? name : mac != null ? mac : UNKNOWN);
            byKey.put(key, lane);
            insertSorted(lane);
        }
        return lane;
    }

    private void insertSorted(Lane lane) {
        int i = 0;
        while (i < lanes.size() && LaneOrder.INSTANCE.compare(lanes.get(i).label(), lane.label()) <= 0) i++;
        lanes.add(i, lane);
    }
}
