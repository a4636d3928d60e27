package org.netroot.app.ui.window;

import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Remembers the window between runs in a {@link Preferences} node: the user's "org/netroot/app"
 * for the app, a node of their own for tests. Writes land in memory; {@link #flush()} (disk) runs
 * off the FX thread.
 */
public final class WindowStateStore {
    public static final String USER_NODE = "org/netroot/app";
    private static final String X = "window.x", Y = "window.y", W = "window.width", H = "window.height",
            MAXIMIZED = "window.maximized", VIEW = "window.view", THEME = "theme";
    private final Preferences node;

    public WindowStateStore(Preferences node) {
        this.node = node;
    }

    public static WindowStateStore user() {
        return new WindowStateStore(Preferences.userRoot().node(USER_NODE));
    }

    /** The last saved state; empty on the first run (or when the saved values make no window). */
    public Optional<WindowState> load() {
        double w = node.getDouble(W, -1), h = node.getDouble(H, -1);
        if (w < 100 || h < 100) return Optional.empty();
        return Optional.of(new WindowState(node.getDouble(X, 0), node.getDouble(Y, 0), w, h,
                node.getBoolean(MAXIMIZED, false), node.get(VIEW, null)));
    }

    public void save(WindowState s) {
        node.putDouble(X, s.x());
        node.putDouble(Y, s.y());
        node.putDouble(W, s.width());
        node.putDouble(H, s.height());
        node.putBoolean(MAXIMIZED, s.maximized());
        if (s.lastView() != null) node.put(VIEW, s.lastView());
    }

    /** "light" or "dark" when the user picked one in the View menu; empty: follow the desktop. */
    public Optional<String> theme() {
        return Optional.ofNullable(node.get(THEME, null));
    }

    public void saveTheme(String theme) {
        node.put(THEME, theme);
    }

    /** Writes to disk: call it off the FX thread. */
    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            // Not remembering the window is no reason to fail: the next run opens at the default place.
        }
    }
}
