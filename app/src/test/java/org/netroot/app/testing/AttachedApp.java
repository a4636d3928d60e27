package org.netroot.app.testing;

import java.nio.file.Path;
import java.time.Duration;
import javafx.stage.Stage;
import org.netroot.app.AppShell;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;

/** The app's window on {@code stage}, attached to the server already running on {@code data}. */
public final class AttachedApp {
    private static final Duration ATTACH = Duration.ofSeconds(10);

    private AttachedApp() {
    }

    /** Opens the window (starting no server of its own) and waits until it is attached. */
    public static AppShell open(Stage stage, Path data) {
        AppShell shell = Fx.get(() -> AppShell.open(stage, data, ServerStarter.NONE));
        try {
            Fx.await(ATTACH, "attached to the server of " + data, () -> shell.connection().state().get() == ConnectionState.SERVER);
        } catch (RuntimeException | AssertionError e) {
            Fx.run(shell::close); // the caller never gets it to close: the next test would find it open
            throw e;
        }
        return shell;
    }
}
