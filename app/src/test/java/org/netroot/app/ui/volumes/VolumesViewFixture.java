package org.netroot.app.ui.volumes;

import java.nio.file.Path;
import javafx.stage.Stage;
import org.netroot.app.AppShell;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.api.FxRobot;

/**
 * Where the Volumes view tests start: a real server on loopback holding {@code data}, a control-API
 * connection to it, and the app's window attached to it, showing the Volumes view.
 */
final class VolumesViewFixture implements AutoCloseable {
    final TestServer server;
    final NetrootControl api;
    final AppShell shell;

    private VolumesViewFixture(TestServer server, NetrootControl api, AppShell shell) {
        this.server = server;
        this.api = api;
        this.shell = shell;
    }

    static VolumesViewFixture open(Stage stage, FxRobot robot, Path data) throws Exception {
        TestServer server = TestServer.start(data);
        NetrootControl api = null;
        AppShell shell = null;
        try {
            api = Netroot.attach(data);
            shell = AttachedApp.open(stage, data);
            robot.clickOn("#nav-volumes");
            return new VolumesViewFixture(server, api, shell);
        } catch (Exception | AssertionError e) {
            new VolumesViewFixture(server, api, shell).close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (shell != null) Fx.run(shell::close);
        if (api != null) api.close();
        server.close();
    }
}
