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
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A service-counters change carries the whole state the sampler read, which may be from just before a
 * stop whose own change came first: the window takes only its counters, so a stopped service never
 * shows as running again.
 */
@ExtendWith(ApplicationExtension.class)
class AppModelServiceCountersTest {
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
    void aLateCountersChangeUpdatesTheCountersNotWhetherItRuns() throws Exception {
        Path data = tmp.resolve("counters");
        server = TestServer.start(data);
        shell = AttachedApp.open(stage, data);
        Fx.await(Duration.ofSeconds(10), "TFTP running in the window", () -> shell.model().status().get().services()
                .stream().anyMatch(s -> s.name().equals("TFTP") && s.running()));
        ServerStatus.ServiceState running = Fx.get(() -> tftp(shell.model().status().get()));
        try (NetrootControl api = Netroot.attach(data)) {
            api.stopService("TFTP");
        }
        Fx.await(Duration.ofSeconds(5), "TFTP stopped in the window", () -> !tftp(shell.model().status().get()).running());

        // what a sampler that read the state just before the stop publishes just after it
        var stale = new ServerStatus.ServiceState(running.name(), true, null, running.addresses(), running.ports(),
                running.transport(), running.mode(), running.interfaces(), 4242, 7);
        server.server().control().changes().publish(ChangeType.SERVICE_COUNTERS, "TFTP", stale);
        Fx.await(Duration.ofSeconds(5), "the counters arrive", () -> tftp(shell.model().status().get()).requests() == 4242);
        ServerStatus.ServiceState shown = Fx.get(() -> tftp(shell.model().status().get()));
        assertFalse(shown.running(), "still stopped");
        assertEquals(List.of(), shown.addresses(), "no address while stopped");
        assertEquals(7, shown.droppedInput());
    }

    private static ServerStatus.ServiceState tftp(ServerStatus status) {
        return status.services().stream().filter(s -> s.name().equals("TFTP")).findFirst().orElseThrow();
    }
}
