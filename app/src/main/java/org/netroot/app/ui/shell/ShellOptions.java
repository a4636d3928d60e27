package org.netroot.app.ui.shell;

import javafx.application.Platform;
import javafx.stage.Stage;
import org.netroot.app.ui.tray.NoTray;
import org.netroot.app.ui.tray.TrayActions;
import org.netroot.app.ui.tray.TrayIcon;
import org.netroot.app.ui.window.WindowStateStore;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * How the window lives on the desktop: where it remembers its place (empty: it does not), which
 * tray it gets, and what ends the app after Quit.
 */
public record ShellOptions(Optional<WindowStateStore> windowState,
                           BiFunction<Stage, TrayActions, TrayIcon> tray,
                           Runnable exit) {
    /** The real app: the user's preferences, the desktop's tray, the JavaFX runtime ends on quit. */
    public static ShellOptions desktop() {
        return new ShellOptions(Optional.of(WindowStateStore.user()), TrayIcon::forDesktop, Platform::exit);
    }

    /** A window inside a test or tool: remembers nothing, no tray, quit only closes the shell. */
    public static ShellOptions embedded() {
        return new ShellOptions(Optional.empty(), (stage, actions) -> new NoTray(), () -> { });
    }
}
