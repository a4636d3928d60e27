package org.netroot.server.dhcp;

import java.util.ArrayList;
import java.util.List;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.BootEventSink;

/** A sink that keeps what was recorded, for assertions. */
final class RecordedEvents implements BootEventSink {
    final List<BootEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(BootEvent event) {
        events.add(event);
    }

    synchronized List<BootEventType> types() {
        return events.stream().map(BootEvent::type).toList();
    }

    synchronized BootEvent last(BootEventType type) {
        for (int i = events.size() - 1; i >= 0; i--) if (events.get(i).type() == type) return events.get(i);
        throw new AssertionError("no " + type + " in " + events);
    }

    synchronized void clear() {
        events.clear();
    }
}
