package org.netroot.app;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window attaches to the data folder's running server, says so, and follows its changes live. */
@ExtendWith(ApplicationExtension.class)
class AppShellTest {
    @TempDir
    static Path tmp;
    private Stage stage;
    private TestServer server;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void tearDown() {
        if (shell != null) Fx.run(shell::close);
        if (server != null) server.close();
    }

    @Test
    void attachesToTheRunningServerAndFollowsItsChanges(FxRobot robot) throws Exception {
        Path data = tmp.resolve("attached");
        server = TestServer.start(data);
        shell = Fx.get(() -> AppShell.open(stage, data, ServerStarter.NONE));

        Fx.await(Duration.ofSeconds(10), "attached to the server",
                () -> shell.connection().state().get() == ConnectionState.SERVER);
        assertTrue(Fx.get(() -> shell.connection().description().get()).contains("Attached to the Netroot server"));

        try (NetrootControl api = Netroot.attach(data)) {
            api.createVolume("pc1", 1 << 20);
            api.addClient(Client.sanboot("pc1", "52:54:00:aa:bb:01", "pc1"));
        }
        Fx.await(Duration.ofSeconds(5), "client and volume arrive from the change stream",
                () -> shell.model().clients().size() == 1 && shell.model().volumes().size() == 1);
        assertEquals("pc1", Fx.get(() -> shell.model().clients().get(0).name()));
    }

    @Test
    void saysSoWhenNoServerRuns() {
        Path data = tmp.resolve("offline");
        shell = Fx.get(() -> AppShell.open(stage, data, ServerStarter.NONE));
        Fx.await(Duration.ofSeconds(10), "offline view opened",
                () -> shell.connection().state().get() == ConnectionState.OFFLINE);
        assertTrue(Fx.get(() -> shell.connection().description().get()).contains("No server runs"));
        assertTrue(Fx.get(() -> shell.window().startServerButton().isVisible()));
    }
}
