package org.netroot.app.ui.timeline;

import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.server.api.BootEventType.*;

/** A lane turns a boot's events into phase bars in order, as they arrive. */
class LaneTest {
    static final long T0 = 1_700_000_000_000L;
    static final String MAC = "52:54:00:aa:bb:01";
    private long nextId = 1;

    BootEvent at(long ms, BootEventType type) {
        return new BootEvent(nextId++, Instant.ofEpochMilli(T0 + ms), MAC, "pc1", type, type.name(), null, null);
    }

    BootEvent sent(long ms, long took, long bytes) {
        return new BootEvent(nextId++, Instant.ofEpochMilli(T0 + ms), MAC, "pc1", BOOT_FILE_SENT, "tftp undionly.kpxe",
                took, bytes);
    }

    private static List<BootPhase> phases(Lane lane) {
        return lane.phases().stream().map(PhaseBar::phase).toList();
    }

    @Test
    void aBootMakesItsPhasesInOrder() {
        Lane lane = new Lane("client:pc1", "pc1");
        for (BootEvent e : List.of(at(0, DHCP_DISCOVER), at(100, DHCP_OFFER), at(200, DHCP_REQUEST), at(300, DHCP_ACK),
                sent(1_300, 900, 70_000), at(1_500, SCRIPT_SERVED), at(1_700, ISCSI_LOGIN), at(1_800, ISCSI_FIRST_READ))) {
            lane.add(e);
        }
        assertEquals(List.of(BootPhase.DHCP, BootPhase.BOOT_FILE, BootPhase.SCRIPT, BootPhase.ISCSI_LOGIN,
                BootPhase.FIRST_READ, BootPhase.OS_READING), phases(lane));
        PhaseBar dhcp = lane.phases().get(0);
        assertEquals(T0, dhcp.startMs());
        assertEquals(T0 + 300, dhcp.endMs(0));
        assertEquals(4, dhcp.events().size(), "DISCOVER..ACK make one bar");
        PhaseBar file = lane.phases().get(1);
        assertEquals(T0 + 400, file.startMs(), "the boot file bar spans at-duration..at");
        assertEquals(T0 + 1_300, file.endMs(0));
        PhaseBar reading = lane.phases().get(5);
        assertTrue(reading.open());
        assertEquals(T0 + 60_000, reading.endMs(T0 + 60_000), "an open reading bar ends now");
    }

    @Test
    void anNbdConnectionOpensTheReadingBarItsDisconnectClosesItARefusalIsAFailedStep() {
        Lane lane = new Lane("client:pc1", "pc1");
        for (BootEvent e : List.of(at(0, DHCP_DISCOVER), at(300, DHCP_ACK), at(2_000, NBD_REFUSED), at(9_000, NBD_CONNECT))) {
            lane.add(e);
        }
        assertEquals(List.of(BootPhase.DHCP, BootPhase.FAILED, BootPhase.FIRST_READ, BootPhase.OS_READING), phases(lane));
        PhaseBar reading = lane.phases().get(3);
        assertTrue(reading.open(), "the nbdroot OS reads its disk from its connection on");
        lane.add(at(60_000, NBD_DISCONNECT));
        assertFalse(reading.open());
        assertEquals(T0 + 60_000, reading.endMs(T0 + 90_000));
        assertEquals("NBD connected", EventText.typeLabel(NBD_CONNECT));
    }

    @Test
    void logoutClosesTheReadingBarAndANewBootStartsNewBars() {
        Lane lane = new Lane("client:pc1", "pc1");
        lane.add(at(0, ISCSI_FIRST_READ));
        lane.add(at(5_000, ISCSI_LOGOUT));
        PhaseBar reading = lane.phases().get(1);
        assertFalse(reading.open());
        assertEquals(T0 + 5_000, reading.endMs(T0 + 99_999));
        lane.add(at(10_000, DHCP_DISCOVER));
        lane.add(at(10_100, PROXY_OFFER));
        lane.add(at(12_000, TFTP_PROBE));
        lane.add(sent(13_000, 500, 1000));
        assertEquals(List.of(BootPhase.FIRST_READ, BootPhase.OS_READING, BootPhase.DHCP, BootPhase.BOOT_FILE),
                phases(lane));
        assertEquals(2, lane.phases().get(3).events().size(), "probe and transfer make one boot file bar");
        assertEquals(T0 + 12_000, lane.phases().get(3).startMs());
    }

    @Test
    void aRebootEndsAnOpenReadingBar() {
        Lane lane = new Lane("client:pc1", "pc1");
        lane.add(at(0, ISCSI_FIRST_READ));
        lane.add(at(7_000, DHCP_DISCOVER));
        PhaseBar reading = lane.phases().get(1);
        assertFalse(reading.open());
        assertEquals(T0 + 7_000, reading.endMs(T0 + 50_000));
    }

    @Test
    void dhcpAfterTheBootFileIsASecondDhcpBar() {
        Lane lane = new Lane("client:pc1", "pc1");
        lane.add(at(0, DHCP_DISCOVER));
        lane.add(at(300, DHCP_ACK));
        lane.add(sent(1_000, 200, 1));
        lane.add(at(1_200, DHCP_DISCOVER)); // iPXE asks again
        lane.add(at(1_300, DHCP_ACK));
        assertEquals(List.of(BootPhase.DHCP, BootPhase.BOOT_FILE, BootPhase.DHCP), phases(lane));
    }

    @Test
    void anErrorIsAFailedMarkAndDoesNotBreakTheStepItInterrupts() {
        Lane lane = new Lane("client:pc1", "pc1");
        lane.add(at(0, DHCP_DISCOVER));
        lane.add(at(10, ERROR));
        lane.add(at(20, DHCP_OFFER));
        assertEquals(List.of(BootPhase.DHCP, BootPhase.FAILED), phases(lane));
        assertEquals(2, lane.phases().get(0).events().size());
    }

    @Test
    void visibleFindsOnlyBarsOverlappingTheWindow() {
        Lane lane = new Lane("client:pc1", "pc1");
        for (int i = 0; i < 1_000; i++) lane.add(at(i * 1_000L, SCRIPT_SERVED));
        lane.add(sent(1_000_500, 10_000, 1)); // a long bar starting before the window
        List<PhaseBar> visible = lane.visible(T0 + 995_000, T0 + 997_500, T0 + 2_000_000);
        assertEquals(List.of(T0 + 990_500, T0 + 995_000, T0 + 996_000, T0 + 997_000),
                visible.stream().map(PhaseBar::startMs).toList());
    }

    @Test
    void anOpenReadingBarStaysVisibleLongAfterItStarted() {
        Lane lane = new Lane("client:pc1", "pc1");
        lane.add(at(0, ISCSI_FIRST_READ));
        List<PhaseBar> visible = lane.visible(T0 + 3_600_000, T0 + 3_700_000, T0 + 3_650_000);
        assertEquals(List.of(BootPhase.OS_READING), visible.stream().map(PhaseBar::phase).toList());
    }

    @Test
    void droppingTheOldestEventsEmptiesBarsInOrder() {
        Lane lane = new Lane("client:pc1", "pc1");
        lane.add(at(0, DHCP_DISCOVER));
        lane.add(at(100, DHCP_ACK));
        lane.add(at(200, ISCSI_FIRST_READ));
        assertFalse(lane.dropOldest());
        assertEquals(List.of(BootPhase.DHCP, BootPhase.FIRST_READ, BootPhase.OS_READING), phases(lane),
                "a bar stays while it holds an event");
        assertFalse(lane.dropOldest());
        assertEquals(List.of(BootPhase.FIRST_READ, BootPhase.OS_READING), phases(lane));
        assertTrue(lane.dropOldest());
        assertEquals(List.of(), phases(lane), "the first read makes both its bars: both go");
        lane.add(at(300, DHCP_DISCOVER));
        assertEquals(1, lane.phases().get(0).events().size(), "a new DHCP bar, not one that was dropped");
    }

    @Test
    void describesTheBarAndTheEvent() {
        Lane lane = new Lane("client:pc1", "pc1");
        lane.add(sent(2_000, 1_500, 70_000));
        lane.add(at(3_000, ISCSI_FIRST_READ));
        assertEquals("Boot file, 1.5 s", EventText.phaseLine(lane.phases().get(0), T0 + 9_000));
        assertEquals("OS reading, running for 6.0 s", EventText.phaseLine(lane.phases().get(2), T0 + 9_000));
        String text = EventText.describe(lane.events().get(0), java.time.ZoneOffset.UTC);
        assertTrue(text.contains("Boot file sent") && text.contains("Detail: tftp undionly.kpxe")
                && text.contains("Bytes: 68.4 KiB") && text.contains("Took: 1.5 s") && text.contains("MAC: " + MAC), text);
    }
}
