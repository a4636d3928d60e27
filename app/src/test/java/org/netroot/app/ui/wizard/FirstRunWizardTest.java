package org.netroot.app.ui.wizard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.testing.Fx;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A new user's first run: no server runs for the (empty) data folder, so the app opens it offline,
 * and the wizard must still open by itself (the offline status equals the model's initial one, so
 * it cannot be the cue).
 */
@ExtendWith(ApplicationExtension.class)
class FirstRunWizardTest {
    @TempDir
    Path tmp;
    private Stage stage;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void tearDown() {
        if (shell != null) {
            Fx.run(() -> {
                WizardDialog d = shell.wizard().current();
                if (d != null) d.stage().close();
                shell.close();
            });
        }
    }

    @Test
    void opensByItselfOnAnEmptyDataFolderWithNoServer() {
        shell = Fx.get(() -> {
            AppShell s = AppShell.open(stage, tmp.resolve("data"), ServerStarter.NONE);
            s.wizard().offerOnFirstLoad();
            return s;
        });
        Fx.await(Duration.ofSeconds(10), "the wizard opened by itself", () -> shell.wizard().current() != null
                && shell.wizard().current().stage().isShowing());
        assertEquals(ConnectionState.OFFLINE, Fx.get(() -> shell.connection().state().get()));
    }
}
