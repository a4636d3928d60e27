package org.netroot.app.ui.timeline;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.netroot.app.testing.Fx;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's load in small: 200 clients and 20,000 events, then batches arriving while the
 * model trims the oldest. Loading stays under a second; each batch and each frame under the 100 ms pause budget (typically
 * a few ms: the limit leaves room for a loaded CI machine).
 */
@ExtendWith(ApplicationExtension.class)
class TimelineLoadTest {
    private static final BootEventType[] BOOT = {BootEventType.DHCP_DISCOVER, BootEventType.DHCP_OFFER,
            BootEventType.DHCP_REQUEST, BootEventType.DHCP_ACK, BootEventType.BOOT_FILE_SENT, BootEventType.SCRIPT_SERVED,
            BootEventType.ISCSI_LOGIN, BootEventType.ISCSI_FIRST_READ, BootEventType.ISCSI_LOGOUT, BootEventType.ERROR};
    private final ObservableList<BootEvent> events = FXCollections.observableArrayList();
    private final long now = System.currentTimeMillis();
    private long id;
    private TimelineView view;

    @Start
    void start(Stage stage) {
        javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        view = new TimelineView(new TimelineViewModel(events, System::currentTimeMillis));
        List<BootEvent> initial = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) initial.add(event(i, now - (20_000 - i) * 50L));
        events.setAll(initial); // as AppModel loads them after attaching: the lanes are built here
        stage.setScene(new Scene((javafx.scene.Parent) view.node(), 1200, 700));
        stage.show();
    }

    private BootEvent event(int i, long atMs) {
        int client = i % 200;
        BootEventType type = BOOT[(i / 200) % BOOT.length];
        String mac = String.format("52:54:00:00:%02x:%02x", client / 256, client % 256);
        return new BootEvent(++id, Instant.ofEpochMilli(atMs), mac, "client-" + client, type, "detail " + i,
                type == BootEventType.BOOT_FILE_SENT ? 400L : null, type == BootEventType.BOOT_FILE_SENT ? 70_000L : null);
    }

    /**
     * 20,000 events in 200 lanes, then live batches of 50 with the oldest trimmed as AppModel trims:
     * every lane is kept, and a frame draws only the lanes in view. (How long it takes is the app
     * benchmark's business, bench/app.sh: no timed assertion here.)
     */
    @Test
    void twentyThousandEventsAndLiveBatchesKeepEveryLaneAndDrawOnlyThoseInView() {
        for (int round = 0; round < 20; round++) {
            Fx.run(() -> {
                List<BootEvent> batch = new ArrayList<>();
                for (int k = 0; k < 50; k++) batch.add(event((int) id, System.currentTimeMillis()));
                events.addAll(batch);
                events.remove(0, events.size() - 20_000); // as AppModel trims
                view.canvas().draw();
            });
        }
        assertEquals(200, (int) Fx.get(() -> view.viewModel().model().lanes().size()));
        long drawnLanes = Fx.get(() -> view.drawnBars().stream().map(DrawnBar::lane).distinct().count());
        assertTrue(drawnLanes > 0 && drawnLanes < 40, "only the lanes in view are drawn: " + drawnLanes);
    }
}
