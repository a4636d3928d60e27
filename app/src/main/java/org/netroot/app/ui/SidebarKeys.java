package org.netroot.app.ui;

import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Pane;

import java.util.Collection;
import java.util.List;

/**
 * The sidebar as a keyboard user expects a list of pages: Tab reaches it, Up/Down (and Home/End)
 * move between its entries, Enter or Space opens the focused one.
 */
final class SidebarKeys {
    private static final String FIRING = "netroot.sidebar-keys.firing";

    private SidebarKeys() {
    }

    /** True while Enter or Space in the sidebar opens {@code entry}: the view then leaves the focus there. */
    static boolean firing(ToggleButton entry) {
        return entry != null && entry.getProperties().containsKey(FIRING);
    }

    static void install(Pane sidebar, Collection<ToggleButton> entries) {
        List<ToggleButton> buttons = List.copyOf(entries);
        sidebar.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            int at = buttons.indexOf(sidebar.getScene() == null ? null : sidebar.getScene().getFocusOwner());
            if (at < 0) return;
            int next = switch (e.getCode()) {
                case UP, LEFT -> Math.max(0, at - 1);
                case DOWN, RIGHT -> Math.min(buttons.size() - 1, at + 1);
                case HOME -> 0;
                case END -> buttons.size() - 1;
                case ENTER, SPACE -> {
                    ToggleButton b = buttons.get(at);
                    b.getProperties().put(FIRING, Boolean.TRUE);
                    try {
                        b.fire();
                    } finally {
                        b.getProperties().remove(FIRING);
                    }
                    yield -1;
                }
                default -> -2;
            };
            if (next == -2) return;
            e.consume();
            if (next >= 0) buttons.get(next).requestFocus();
        });
    }
}
