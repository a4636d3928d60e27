package org.netroot.app.ui.timeline;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The view-model follows the event list as the app model changes it: appends, trims at the front, resets. */
class TimelineViewModelTest {
    private static final long T0 = 1_700_000_000_000L;
    private final AtomicLong clock = new AtomicLong(T0 + 10_000);
    private final ObservableList<BootEvent> events = FXCollections.observableArrayList();
    private long id;

    private BootEvent event(String client, long ms, BootEventType type) {
        return new BootEvent(++id, Instant.ofEpochMilli(T0 + ms), "52:54:00:00:00:" + client.length(), client, type,
                null, null, null);
    }

    @Test
    void appendedEventsLandInLanesAndBumpTheVersion() {
        TimelineViewModel vm = new TimelineViewModel(events, clock::get);
        long v = vm.version().get();
        events.addAll(event("pc1", 0, BootEventType.DHCP_DISCOVER), event("pc22", 10, BootEventType.DHCP_DISCOVER));
        events.add(event("pc1", 20, BootEventType.DHCP_ACK));
        assertEquals(List.of("pc1", "pc22"), vm.model().lanes().stream().map(Lane::label).toList());
        assertEquals(3, vm.model().eventCount());
        assertTrue(vm.version().get() > v);
    }

    @Test
    void trimmingAtTheFrontDropsTheOldestAndAResetRebuilds() {
        List<BootEvent> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) many.add(event(i % 2 == 0 ? "pc1" : "pc22", i * 1_000L, BootEventType.SCRIPT_SERVED));
        events.setAll(many);
        TimelineViewModel vm = new TimelineViewModel(events, clock::get);
        vm.select(many.get(0));
        events.remove(0, 11);
        assertEquals(89, vm.model().eventCount());
        assertEquals(44, vm.model().lane("pc1").events().size());
        assertEquals(44, vm.model().lane("pc1").phases().size());
        assertEquals(T0 + 11_000, vm.model().firstMs(), "the range starts at the oldest event kept");
        assertNull(vm.selected().get(), "a selected event that was dropped is no longer selected");
        events.setAll(List.of(event("other", 0, BootEventType.ERROR)));
        assertEquals(List.of("other"), vm.model().lanes().stream().map(Lane::label).toList(), "a reset rebuilds");
    }

    @Test
    void zoomChangesTheVisibleSpanAndFollowKeepsNowInView() {
        TimelineViewModel vm = new TimelineViewModel(events, clock::get);
        long span = vm.window().spanMs();
        vm.zoomIn();
        assertEquals(span / 2, vm.window().spanMs());
        clock.addAndGet(600_000);
        vm.follow();
        assertTrue(vm.window().contains(clock.get()));
        vm.pan(-1_000_000);
        assertFalse(vm.followLive().get(), "panning away stops following");
        assertFalse(vm.window().contains(clock.get()));
        vm.followLive().set(true);
        assertTrue(vm.window().contains(clock.get()));
    }

    @Test
    void fitShowsEveryEvent() {
        events.addAll(event("pc1", -3_600_000, BootEventType.DHCP_DISCOVER), event("pc1", 0, BootEventType.ISCSI_LOGIN));
        TimelineViewModel vm = new TimelineViewModel(events, clock::get);
        vm.fit();
        assertTrue(vm.window().contains(T0 - 3_600_000) && vm.window().contains(T0));
        assertFalse(vm.followLive().get());
    }

    @Test
    void arrowsMoveWithinALaneAndAcrossLanes() {
        BootEvent a1 = event("a", 0, BootEventType.DHCP_DISCOVER);
        BootEvent a2 = event("a", 1_000, BootEventType.SCRIPT_SERVED);
        BootEvent b1 = event("bb", 900, BootEventType.ISCSI_LOGIN);
        events.addAll(a1, a2, b1);
        TimelineViewModel vm = new TimelineViewModel(events, clock::get);
        vm.select(a1);
        vm.moveInLane(1);
        assertEquals(a2, vm.selected().get());
        vm.moveInLane(1);
        assertEquals(a2, vm.selected().get(), "stays on the last event");
        vm.moveAcrossLanes(1);
        assertEquals(b1, vm.selected().get(), "the nearest event in time on the lane below");
        vm.moveAcrossLanes(1);
        assertEquals(b1, vm.selected().get());
        vm.moveInLane(-1);
        assertEquals(b1, vm.selected().get());
        events.setAll(List.of(event("c", 0, BootEventType.ERROR)));
        assertNull(vm.selected().get(), "a selection that is gone is cleared");
    }
}
