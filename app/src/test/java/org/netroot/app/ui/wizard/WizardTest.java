package org.netroot.app.ui.wizard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.Processes;
import org.netroot.app.testing.TestServer;
import org.netroot.app.testing.VethNetwork;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.NetworkInterfaceInfo;
import org.netroot.server.api.ServerSettings;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The wizard on a real network: a veth pair this test creates, with the test's own DHCP server
 * (dnsmasq in the pair's namespace) or none. The server the app attaches to probes the pair's end
 * in this namespace, as it would the PC network. Needs root (namespaces, port 68) and dnsmasq.
 */
@ExtendWith(ApplicationExtension.class)
class WizardTest {
    @TempDir
    Path tmp;
    private Stage stage;
    private TestServer server;
    private AppShell shell;
    private VethNetwork net;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @BeforeEach
    void network() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root: a network namespace with a veth pair, and the DHCP client port 68");
        assumeTrue(Processes.has("dnsmasq"), "needs dnsmasq as the test's DHCP server (Debian: dnsmasq-base)");
        net = VethNetwork.create("wz", tmp);
        Path data = tmp.resolve("data");
        server = TestServer.start(data);
        shell = Fx.get(() -> {
            AppShell s = AppShell.open(stage, data, ServerStarter.NONE);
            s.wizard().offerOnFirstLoad();
            return s;
        });
        Fx.await(Duration.ofSeconds(10), "attached", () -> shell.connection().state().get() == ConnectionState.SERVER);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (shell != null) {
            Fx.run(() -> {
                WizardDialog d = shell.wizard().current();
                if (d != null) d.stage().close();
                shell.close();
            });
        }
        if (server != null) server.close();
        if (net != null) net.close();
    }

    @Test
    void recommendsProxyModeWhenTheNetworksDhcpServerAnswers(FxRobot robot) throws Exception {
        net.startDnsmasq();
        // a fresh data folder: the wizard opens by itself after the first load
        Fx.await(Duration.ofSeconds(10), "the wizard opened by itself", () -> shell.wizard().current() != null
                && shell.wizard().current().stage().isShowing());
        chooseTheVeth();
        robot.clickOn("#wizard-next");

        Fx.await(Duration.ofSeconds(10), "the probe answered", () -> step() == WizardStep.DHCP);
        String said = Fx.get(() -> this.<Label>node("#wizard-recommendation").getText());
        assertEquals("Your router " + net.address(2) + " hands out addresses on " + net.hostInterface()
                + "; Netroot adds the boot information only (proxy mode).", said);
        assertTrue(Fx.get(() -> this.<RadioButton>node("#wizard-mode-proxy").isSelected()));

        robot.type(KeyCode.ENTER); // Enter = Next
        Fx.await(Duration.ofSeconds(10), "boot files page", () -> step() == WizardStep.IPXE
                || !shell.wizard().current().viewModel().error().get().isEmpty());
        assertEquals("", Fx.get(() -> shell.wizard().current().viewModel().error().get()));
        assertTrue(Fx.get(() -> this.<Label>node("#wizard-ipxe-status").getText()).contains("missing"),
                "the test server's iPXE folder is empty");
        robot.type(KeyCode.ENTER);
        Fx.await(Duration.ofSeconds(5), "first PC page", () -> step() == WizardStep.FIRST_CLIENT);
        assertTrue(Fx.get(() -> this.<RadioButton>node("#wizard-wait-discovery").isSelected()), "waiting is the default");
        robot.type(KeyCode.ENTER); // Finish

        Fx.await(Duration.ofSeconds(10), "settings applied", () -> !shell.wizard().outcome().get().isEmpty());
        String outcome = Fx.get(() -> shell.wizard().outcome().get());
        assertTrue(outcome.contains("uses them from its next start"),
                "a server running elsewhere applies them when restarted: " + outcome);
        try (NetrootControl api = Netroot.attach(tmp.resolve("data"))) {
            ServerSettings saved = api.settings();
            assertEquals(List.of(net.hostInterface()), saved.interfaces());
            assertEquals(ServerSettings.PROXY, saved.dhcpMode());
        }
    }

    @Test
    void recommendsFullModeWithARangeWhenNoDhcpServerAnswers(FxRobot robot) throws Exception {
        Fx.await(Duration.ofSeconds(10), "the wizard opened by itself", () -> shell.wizard().current() != null);
        Fx.run(() -> shell.wizard().current().stage().close());
        robot.clickOn("#run-setup"); // and again from the sidebar
        Fx.await(Duration.ofSeconds(10), "the wizard reopened", () -> shell.wizard().current().stage().isShowing());
        chooseTheVeth();
        robot.type(KeyCode.ENTER);

        Fx.await(Duration.ofSeconds(10), "the probe ended", () -> step() == WizardStep.DHCP);
        assertEquals("No DHCP server answered on " + net.hostInterface() + ": Netroot hands out addresses itself (full"
                + " mode), from " + net.address(100) + " to " + net.address(200) + ".",
                Fx.get(() -> this.<Label>node("#wizard-recommendation").getText()));
        assertTrue(Fx.get(() -> this.<RadioButton>node("#wizard-mode-full").isSelected()));
        assertEquals(net.address(100), Fx.get(() -> this.<TextField>node("#wizard-range-start").getText()));
        assertFalse(Fx.get(() -> node("#wizard-range-end").isDisabled()), "the range is editable in full mode");

        robot.type(KeyCode.ESCAPE); // Escape = Cancel: nothing saved
        Fx.await(Duration.ofSeconds(5), "the wizard closed", () -> !shell.wizard().current().stage().isShowing());
        try (NetrootControl api = Netroot.attach(tmp.resolve("data"))) {
            assertFalse(api.settings().configured());
        }
    }

    /** Picks the pair's end in this namespace (the list also holds the machine's real interfaces). */
    private void chooseTheVeth() {
        Fx.await(Duration.ofSeconds(10), "interfaces listed", () -> this.<ListView<NetworkInterfaceInfo>>node(
                "#wizard-interfaces").getItems().stream().anyMatch(i -> i.name().equals(net.hostInterface())));
        Fx.run(() -> {
            ListView<NetworkInterfaceInfo> list = node("#wizard-interfaces");
            list.getSelectionModel().select(list.getItems().stream().filter(i -> i.name().equals(net.hostInterface()))
                    .findFirst().orElseThrow());
            list.requestFocus();
        });
    }

    private WizardStep step() {
        return shell.wizard().current().viewModel().step().get();
    }

    @SuppressWarnings("unchecked")
    private <T extends Node> T node(String id) {
        Node n = shell.wizard().current().stage().getScene().lookup(id);
        if (n == null) throw new AssertionError("no " + id + " in the wizard");
        return (T) n;
    }
}
