package org.netroot.app.model;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;

/** A removed client's live activity leaves the window with it: a new client of that name starts clean. */
@ExtendWith(ApplicationExtension.class)
class AppModelClientRemovalTest {
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
    void aRemovedClientsActivityGoesWithIt() throws Exception {
        Path data = tmp.resolve("removal");
        server = TestServer.start(data);
        try (NetrootControl api = Netroot.attach(data)) {
            api.addClient(Client.sanboot("pc1", "52:54:00:00:0e:01", null));
        }
        shell = AttachedApp.open(stage, data);
        server.server().events().record(BootEvent.of("52:54:00:00:0e:01", BootEventType.ERROR, "CHAP login refused"));
        Fx.await(Duration.ofSeconds(5), "pc1 failed in the window", () -> shell.model().clientActivity().stream()
                .anyMatch(a -> a.clientName().equals("pc1") && a.state() == ClientActivity.State.FAILED));

        try (NetrootControl api = Netroot.attach(data)) {
            api.removeClient("pc1");
        }
        Fx.await(Duration.ofSeconds(5), "pc1 and its activity gone", () -> shell.model().clients().isEmpty()
                && shell.model().clientActivity().stream().noneMatch(a -> a.clientName().equals("pc1")));
    }
}
