package org.netroot.app.ui.volumes;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Volume;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Path;

/**
 * Where every Volumes view test starts ({@link VolumesViewFixture}): a real server on loopback, the
 * control API to it, and the app's window attached, showing the Volumes view; closed after each test.
 */
@ExtendWith(ApplicationExtension.class)
abstract class VolumesViewTestBase {
    static final long MIB = 1 << 20;

    @TempDir
    Path tmp;
    Stage stage;
    TestServer server;
    AppShell shell;
    NetrootControl api;
    VolumesViewFixture fixture;

    @BeforeEach
    void open(FxRobot robot) throws Exception {
        stage = FxToolkit.registerPrimaryStage(); // the one ApplicationExtension set up (its @Start is not inherited)
        fixture = VolumesViewFixture.open(stage, robot, tmp.resolve("data"));
        server = fixture.server;
        api = fixture.api;
        shell = fixture.shell;
    }

    @AfterEach
    void close() {
        if (fixture != null) fixture.close();
    }

    /** The volume as the server has it now; null when it has none of that name. */
    Volume apiVolume(String name) {
        return api.volumes().stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }
}
