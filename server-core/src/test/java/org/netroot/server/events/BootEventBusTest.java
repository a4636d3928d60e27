package org.netroot.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.store.BootEventRepository;
import org.netroot.server.store.Database;

class BootEventBusTest {
    @TempDir Path tmp;

    @Test
    void storesNamesAndHandsEventsToSubscribersInOrder() {
        try (Database db = Database.open(tmp)) {
            List<BootEvent> seen = new CopyOnWriteArrayList<>();
            try (BootEventBus bus = new BootEventBus(new BootEventRepository(db),
                    mac -> mac.equals("52:54:00:00:00:01") ? "pc1" : null)) {
                bus.subscribe(seen::add);
                bus.record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "a"));
                bus.record(BootEvent.of("52:54:00:00:00:02", BootEventType.DHCP_DISCOVER, "b"));
            }
            assertEquals(List.of("pc1", "-"), seen.stream().map(e -> e.clientName() == null ? "-" : e.clientName()).toList());
            assertTrue(seen.get(0).id() < seen.get(1).id());
            assertEquals(seen, new BootEventRepository(db).after(0, 10));
        }
    }

    @Test
    void aFloodOfEventsKeepsOnlyTheNewest() {
        try (Database db = Database.open(tmp)) {
            BootEventRepository repo = new BootEventRepository(db);
            try (BootEventBus bus = new BootEventBus(repo, mac -> null, 50)) {
                for (int i = 0; i < 260; i++) bus.record(BootEvent.of(null, BootEventType.ERROR, "junk " + i));
            }
            List<BootEvent> left = repo.after(0, 1000);
            assertTrue(left.size() <= 100, "kept " + left.size());
            assertEquals("junk 259", left.get(left.size() - 1).detail(), "the newest survive");
        }
    }
}
