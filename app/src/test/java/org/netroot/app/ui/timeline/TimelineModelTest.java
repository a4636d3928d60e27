package org.netroot.app.ui.timeline;

import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lanes: one per client name, else per MAC; alphabetical; an unnamed event joins its MAC's client. */
class TimelineModelTest {
    private static BootEvent event(String mac, String name, BootEventType type) {
        return new BootEvent(0, Instant.ofEpochMilli(1_000), mac, name, type, null, null, null);
    }

    @Test
    void lanesPerClientElseMacInAlphabeticalOrder() {
        TimelineModel m = new TimelineModel();
        m.add(event("52:54:00:00:00:09", null, BootEventType.DHCP_DISCOVER));
        m.add(event("52:54:00:00:00:01", "web", BootEventType.DHCP_DISCOVER));
        m.add(event("52:54:00:00:00:02", "Alpha", BootEventType.DHCP_DISCOVER));
        m.add(event(null, null, BootEventType.ERROR));
        m.add(event("52:54:00:00:00:01", null, BootEventType.DHCP_ACK));
        assertEquals(List.of("(unknown machine)", "52:54:00:00:00:09", "Alpha", "web"),
                m.lanes().stream().map(Lane::label).toList());
        assertEquals(2, m.lane("web").events().size(), "an unnamed event of a known client's MAC joins its lane");
        assertEquals(5, m.eventCount());
    }

    @Test
    void rangeCoversTransfersFromTheirStart() {
        TimelineModel m = new TimelineModel();
        m.add(new BootEvent(1, Instant.ofEpochMilli(10_000), "m", null, BootEventType.BOOT_FILE_SENT, null, 4_000L, 1L));
        m.add(new BootEvent(2, Instant.ofEpochMilli(12_000), "m", null, BootEventType.SCRIPT_SERVED, null, null, null));
        assertEquals(6_000, m.firstMs());
        assertEquals(12_000, m.lastMs());
        m.clear();
        assertEquals(0, m.lanes().size());
    }

    @Test
    void numbersInNamesSortByValue() {
        TimelineModel m = new TimelineModel();
        for (String name : List.of("pc10", "PC2", "pc1", "lab", "pc02b")) m.add(event("mac-" + name, name, BootEventType.DHCP_ACK));
        assertEquals(List.of("lab", "pc1", "PC2", "pc02b", "pc10"), m.lanes().stream().map(Lane::label).toList());
    }
}
