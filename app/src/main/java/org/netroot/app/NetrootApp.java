package org.netroot.app;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.stage.Stage;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.diagnostics.BenchmarkProbe;
import org.netroot.app.ui.shell.ShellOptions;
import org.netroot.app.ui.tray.TrayImages;

import java.nio.file.Path;

/** The JavaFX application: one window over {@link AppShell}. Configured by the launcher before launch. */
public final class NetrootApp extends Application {
    private static volatile Path dataDir;
    private static volatile ServerStarter starter = ServerStarter.NONE;
    private AppShell shell;

    /** Called once before {@link Application#launch}: the data folder and how to start a server in-process. */
    public static void configure(Path dir, ServerStarter serverStarter) {
        dataDir = dir;
        starter = serverStarter;
    }

    /** On the launcher thread, before the window: ask the desktop for light or dark (may run gsettings). */
    @Override
    public void init() {
        DesktopPreferences.detect();
    }

    @Override
    public void start(Stage stage) {
        Platform.setImplicitExit(false); // the tray (when there is one) keeps the app alive; Quit ends it
        // the menu entry's and the tray's badge, also in the task bar and the window list (its dialogs share it)
        for (int size : new int[] {16, 24, 32, 48, 64, 128}) {
            stage.getIcons().add(SwingFXUtils.toFXImage(TrayImages.badge(TrayImages.RUNNING, size), null));
        }
        shell = AppShell.open(stage, dataDir, starter, ShellOptions.desktop());
        BenchmarkProbe.startIfAsked(shell.model()); // bench/app.sh only
        shell.wizard().offerOnFirstLoad(); // a fresh data folder: the first-run wizard opens by itself
    }

    @Override
    public void stop() {
        if (shell != null) shell.close();
    }
}
