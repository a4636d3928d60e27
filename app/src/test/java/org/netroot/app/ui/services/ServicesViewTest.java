package org.netroot.app.ui.services;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.TestServer;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.ServerConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Services view against a real server on loopback: stopping TFTP frees its port, starting it
 * again serves a file; counters and warnings arrive live; offline it offers to start a server.
 */
@ExtendWith(ApplicationExtension.class)
class ServicesViewTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
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
    void stoppingTftpFreesItsPortAndStartingItAgainServesAFile(FxRobot robot) throws Exception {
        Path data = tmp.resolve("tftp");
        server = TestServer.start(data);
        byte[] content = new byte[1500]; // three blocks, the last one short
        new Random(7).nextBytes(content);
        Files.write(data.resolveSibling(data.getFileName() + "-ipxe").resolve("hello.efi"), content);
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-services");
        Fx.await(WAIT, "TFTP card running", () -> "Running".equals(text(robot, "#service-tftp-state")));
        assertTrue(Fx.get(() -> ((Label) find("#service-control-address")).getText())
                .startsWith("127.0.0.1:"), "the control API's line");
        int port = tftpPort();
        String address = Fx.get(() -> text(robot, "#service-tftp-address"));
        assertTrue(address.contains("port " + port + "/udp"), address);

        robot.clickOn("#service-tftp-stop");
        awaitBadge(robot, "tftp", "Stopped");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertEquals(port, taken.getLocalPort(), "the port is free once TFTP stopped");
        }
        assertTrue(Fx.get(() -> find("#service-tftp-stop").isDisabled()));

        robot.clickOn("#service-tftp-start");
        awaitBadge(robot, "tftp", "Running");
        int again = tftpPort(); // port 0 asks the system again: it may pick another one
        String before = Fx.get(() -> text(robot, "#service-tftp-requests"));
        assertArrayEquals(content, TftpRead.fetch(again, "hello.efi"), "the file, byte for byte");
        Fx.await(Duration.ofSeconds(5), "the request counter moves without polling",
                () -> !before.equals(text(robot, "#service-tftp-requests")));
    }

    @Test
    void showsTheServersWarningsAndAStartFailureInWords(FxRobot robot) throws Exception {
        Path data = tmp.resolve("warnings");
        int fixed = freeUdpPort(); // fixed, so a restart asks for the same port and finds it taken
        ServerConfig loopback = TestServer.loopback(data);
        server = TestServer.start(data, new ServerConfig(data, List.of(), DhcpMode.OFF, null, null, null, 0, 0, fixed, 0, 0, 0,
                loopback.ipxeDir(), null, 3600)); // its iPXE folder is empty: the server warns
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-services");
        Fx.await(WAIT, "warnings shown", () -> visible(robot, "#services-warnings"));
        String warning = Fx.get(() -> ((atlantafx.base.controls.Message) find("#services-warnings")).getDescription());
        assertTrue(warning.contains("BIOS PXE clients cannot boot"), warning);

        robot.clickOn("#service-http-stop");
        Fx.await(WAIT, "HTTP stopped", () -> "Stopped".equals(text(robot, "#service-http-state")));
        int port = server.server().status().services().stream().filter(s -> s.name().equals("HTTP")).findFirst()
                .orElseThrow().mainPort();
        assertEquals(0, port, "stopped: the configured port (0: picked at start)");
        robot.clickOn("#service-tftp-stop");
        awaitBadge(robot, "tftp", "Stopped");
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), fixed))) {
            robot.clickOn("#service-tftp-start");
            awaitBadge(robot, "tftp", "Failed");
            String failure = Fx.get(() -> text(robot, "#service-tftp-failure"));
            assertTrue(failure.startsWith("TFTP: port " + fixed + "/udp is in use by another program (dnsmasq"), failure);
            assertTrue(failure.contains("`sudo ss -lunp 'sport = :" + fixed + "'`"), failure);
            assertTrue(Fx.get(() -> visible(robot, "#service-tftp-failure")));
        }
        robot.clickOn("#service-tftp-start");
        awaitBadge(robot, "tftp", "Running");
        assertTrue(Fx.get(() -> !visible(robot, "#service-tftp-failure")), "the failure goes once it runs");

        robot.clickOn("#services-stop-all");
        Fx.await(WAIT, "all stopped", () -> "Stopped".equals(text(robot, "#service-iscsi-state"))
                && "Stopped".equals(text(robot, "#service-tftp-state")));
        robot.clickOn("#services-start-all");
        Fx.await(WAIT, "all running", () -> "Running".equals(text(robot, "#service-iscsi-state"))
                && "Running".equals(text(robot, "#service-http-state")) && "Running".equals(text(robot, "#service-tftp-state")));
    }

    @Test
    void offlineSaysServicesRunOnlyInAServerAndOffersToStartOne(FxRobot robot) {
        Path data = tmp.resolve("offline");
        shell = Fx.get(() -> AppShell.open(stage, data, ServerStarter.NONE));
        Fx.await(WAIT, "offline", () -> shell.connection().state().get() == ConnectionState.OFFLINE);
        robot.clickOn("#nav-services");
        Fx.await(WAIT, "offline message", () -> visible(robot, "#services-offline"));
        String words = Fx.get(() -> ((atlantafx.base.controls.Message) find("#services-offline")).getDescription());
        assertTrue(words.startsWith("Services run only in a Netroot server"), words);
        assertTrue(Fx.get(() -> find("#services-start-all").isDisabled()));
        robot.clickOn("#services-start-server");
        // the banner's Start server ran: ServerStarter.NONE refuses, in words, on the window's error line
        Fx.await(WAIT, "the banner's action ran", () -> String.valueOf(shell.model().lastError().get())
                .contains("this window cannot start a server"));
    }

    /** Waits for a card's badge; says what the card, the model and the server showed when it does not come. */
    private void awaitBadge(FxRobot robot, String service, String badge) {
        try {
            Fx.await(WAIT, service + " " + badge, () -> badge.equals(text(robot, "#service-" + service + "-state")));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": badge " + Fx.get(() -> text(robot, "#service-" + service + "-state"))
                    + ", failure " + Fx.get(() -> text(robot, "#service-" + service + "-failure"))
                    + ", start disabled " + Fx.get(() -> find("#service-" + service + "-start").isDisabled())
                    + ", server " + (server == null ? null : server.server().status())
                    + ", model " + Fx.get(() -> shell.model().status().get())
                    + ", error " + Fx.get(() -> shell.model().lastError().get()), e);
        }
    }

    private static int freeUdpPort() throws java.io.IOException {
        try (DatagramSocket probe = new DatagramSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private int tftpPort() {
        return Fx.get(() -> shell.model().status().get().services().stream().filter(s -> s.name().equals("TFTP"))
                .findFirst().orElseThrow().mainPort());
    }

    /** On the FX thread (TestFX's own lookup waits for the FX thread: it would hang there). */
    private Node find(String query) {
        Node n = stage.getScene().lookup(query);
        if (n == null) throw new AssertionError("no " + query + " in the window");
        return n;
    }

    /** A label's text; on the FX thread (Fx.await's conditions run there). */
    private String text(FxRobot robot, String query) {
        return stage.getScene().lookup(query) instanceof Label l ? l.getText() : "";
    }

    /** On the FX thread, as {@link #text}. */
    private boolean visible(FxRobot robot, String query) {
        Node n = stage.getScene().lookup(query);
        return n != null && n.isVisible();
    }
}
