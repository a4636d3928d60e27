package org.netroot.app.ui.window;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A remembered window comes back on a screen that exists now, and the store keeps what it was given. */
class WindowStateTest {
    private final Preferences node = Preferences.userRoot().node("org/netroot/app-test/" + UUID.randomUUID());

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void aWindowOnAnUnpluggedMonitorMovesToTheRemainingOne() {
        WindowState onSecond = new WindowState(2200, 300, 1200, 780, false, "Volumes");
        WindowState fitted = onSecond.fitInto(List.of(new Rectangle2D(0, 0, 1920, 1040)));
        assertEquals(new WindowState(720, 260, 1200, 780, false, "Volumes"), fitted);
    }

    @Test
    void aWindowLargerThanTheScreenShrinksToIt() {
        WindowState big = new WindowState(-50, -20, 3000, 2000, true, null);
        assertEquals(new WindowState(0, 0, 1400, 900, true, null), big.fitInto(List.of(new Rectangle2D(0, 0, 1400, 900))));
    }

    @Test
    void itStaysOnTheScreenItMostlyCovers() {
        List<Rectangle2D> screens = List.of(new Rectangle2D(0, 0, 1920, 1080), new Rectangle2D(1920, 0, 2560, 1440));
        WindowState right = new WindowState(2000, 100, 1200, 800, false, null);
        assertEquals(right, right.fitInto(screens));
    }

    @Test
    void theStoreKeepsStateAndTheme() {
        WindowStateStore store = new WindowStateStore(node);
        assertEquals(Optional.empty(), store.load());
        WindowState s = new WindowState(10, 20, 1000, 700, true, "Timeline");
        store.save(s);
        store.saveTheme("dark");
        store.flush();
        WindowStateStore again = new WindowStateStore(node);
        assertEquals(Optional.of(s), again.load());
        assertEquals(Optional.of("dark"), again.theme());
    }
}
