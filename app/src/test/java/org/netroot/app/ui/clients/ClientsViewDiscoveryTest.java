package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.PxeDiscover;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Volume;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.ServerConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A real server answering DHCP on loopback: a PXE DISCOVER from a new MAC, sent by the test, shows a
 * discovered card (how fast, target a second, is measured by bench/new-user.sh with a real QEMU PC, not
 * here: a loaded CI machine is no stopwatch); adopting it through the dialog creates the client and its 32 GiB
 * volume (checked through the API) and the discovered card goes.
 */
@ExtendWith(ApplicationExtension.class)
class ClientsViewDiscoveryTest {
    static final String MAC = "52:54:00:5e:00:42";
    static final String ID = "52-54-00-5e-00-42";

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
    void aDiscoverShowsADiscoveredCardAndAdoptingItMakesAClient(FxRobot robot) throws Exception {
        Path data = tmp.resolve("discovery");
        int dhcpPort = PxeDiscover.freeUdpPort();
        ServerConfig loopback = TestServer.loopback(data);
        server = TestServer.start(data, new ServerConfig(data, List.of("lo"), DhcpMode.PROXY, null, null, null,
                dhcpPort, PxeDiscover.freeUdpPort(), 0, 0, 0, 0, loopback.ipxeDir(), null, 3600));
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");
        Fx.await(Duration.ofSeconds(10), "the empty state says how clients arrive", // the first load, not a target
                () -> robot.lookup("#clients-empty").query().isVisible());

        PxeDiscover.send(MAC, dhcpPort);
        Fx.await(Duration.ofSeconds(10), "a discovered card for the DISCOVER",
                () -> robot.lookup("#discovered-" + ID).tryQuery().isPresent());
        assertTrue(Fx.get(() -> robot.lookup("#discovered-" + ID).lookup(".label").queryAll().stream()
                .anyMatch(n -> "UEFI (x64)".equals(((Label) n).getText()))), "firmware from option 93");

        robot.clickOn("#adopt-" + ID);
        Fx.await(Duration.ofSeconds(5), "the adopt dialog, name suggested",
                () -> robot.lookup("#client-name").tryQuery().isPresent());
        assertEquals("pc-5e0042", Fx.get(() -> robot.lookup("#client-name").queryTextInputControl().getText()));
        robot.clickOn("#client-name").push(KeyCode.CONTROL, KeyCode.A).write("lab-pc");
        robot.clickOn("#client-save");

        Fx.await(Duration.ofSeconds(5), "the client's card, and no discovered card",
                () -> robot.lookup("#client-lab-pc").tryQuery().isPresent()
                        && robot.lookup("#discovered-" + ID).tryQuery().isEmpty());
        try (NetrootControl api = Netroot.attach(data)) {
            Client c = api.clients().stream().filter(x -> x.name().equals("lab-pc")).findFirst().orElseThrow();
            assertEquals(List.of(MAC, "lab-pc"), List.of(c.mac(), c.volumeName()));
            Volume v = api.volumes().stream().filter(x -> x.name().equals("lab-pc")).findFirst().orElseThrow();
            assertEquals(32L << 30, v.sizeBytes(), "a new blank volume of the default 32 GiB");
            assertTrue(api.discoveredMachines().isEmpty(), "a client has the MAC now");
        }
    }
}
