package org.netroot.app.ui.timeline;

import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline against a real server: boot events published through the server's event bus arrive
 * over the change stream and are drawn as the lane's phases in order; an ERROR shows its reason and fix.
 */
@ExtendWith(ApplicationExtension.class)
class TimelineViewTest {
    private static final String MAC = "52:54:00:aa:bb:01";
    @TempDir
    static Path tmp;
    private Stage stage;
    private TestServer server;
    private AppShell shell;
    private TimelineCanvas canvas;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @BeforeEach
    void openTimeline(FxRobot robot) throws Exception {
        Path data = tmp.resolve("timeline-" + System.nanoTime());
        server = TestServer.start(data);
        try (NetrootControl api = Netroot.attach(data)) {
            api.createVolume("pc1", 1 << 20);
            api.addClient(Client.sanboot("pc1", MAC, "pc1"));
        }
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-timeline");
        canvas = robot.lookup("#timeline-canvas").queryAs(TimelineCanvas.class);
    }

    @AfterEach
    void tearDown() {
        if (shell != null) Fx.run(shell::close);
        if (server != null) server.close();
    }

    private void publish(BootEvent e) throws InterruptedException {
        server.server().events().record(e);
        Thread.sleep(40); // the bars of one boot land at distinct times
    }

    private TimelineViewModel vm() {
        return canvas.viewModel();
    }

    private List<DrawnBar> drawnOf(String lane) {
        return Fx.get(() -> canvas.lastDrawn().stream().filter(b -> b.lane().equals(lane)).toList());
    }

    @Test
    void aBootIsDrawnPhaseByPhaseInOrderAndAnErrorShowsItsReasonAndFix(FxRobot robot) throws Exception {
        publish(BootEvent.of(MAC, BootEventType.DHCP_DISCOVER, "full DHCP, BIOS"));
        publish(BootEvent.of(MAC, BootEventType.DHCP_OFFER, "full DHCP, 10.0.0.50"));
        publish(BootEvent.of(MAC, BootEventType.DHCP_REQUEST, "full DHCP"));
        publish(BootEvent.of(MAC, BootEventType.DHCP_ACK, "full DHCP, 10.0.0.50, boot file undionly.kpxe"));
        publish(BootEvent.transfer(MAC, BootEventType.BOOT_FILE_SENT, "tftp undionly.kpxe blksize=1468", 30, 70_123));
        publish(BootEvent.of(MAC, BootEventType.SCRIPT_SERVED, "sanboot iqn.2024-01.org.netroot:pc1"));
        publish(BootEvent.of(MAC, BootEventType.ISCSI_LOGIN, "iqn.x:pc1 logged in to iqn.2024-01.org.netroot:pc1"));
        publish(BootEvent.of(MAC, BootEventType.ISCSI_FIRST_READ, "iqn.x:pc1 reads iqn.2024-01.org.netroot:pc1"));

        List<BootPhase> boot = List.of(BootPhase.DHCP, BootPhase.BOOT_FILE, BootPhase.SCRIPT, BootPhase.ISCSI_LOGIN,
                BootPhase.FIRST_READ, BootPhase.OS_READING);
        Fx.await(Duration.ofSeconds(5), "the lane of pc1 is drawn with every phase",
                () -> canvas.lastDrawn().stream().filter(b -> b.lane().equals("pc1")).count() == boot.size());
        robot.clickOn("#timeline-fit");
        Fx.await(Duration.ofSeconds(5), "redrawn after fit", () -> !vm().followLive().get()
                && canvas.lastDrawn().stream().anyMatch(b -> b.lane().equals("pc1") && b.width() > 20));

        List<DrawnBar> drawn = drawnOf("pc1");
        assertEquals(boot, drawn.stream().map(DrawnBar::phase).toList(), "the phases in boot order");
        List<DrawnBar> byX = drawn.stream().sorted(Comparator.comparingDouble(DrawnBar::x)).toList();
        assertEquals(drawn.stream().map(DrawnBar::startMs).toList(), byX.stream().map(DrawnBar::startMs).toList(),
                "left to right on screen in the same order");
        assertTrue(drawn.get(1).x() > drawn.get(0).x() && drawn.get(2).x() > drawn.get(1).x()
                && drawn.get(4).x() > drawn.get(3).x(), () -> "bars at distinct places: " + drawn);
        List<PhaseBar> modelBars = Fx.get(() -> vm().model().lane("pc1").phases());
        assertEquals(30, modelBars.get(1).endMs(0) - modelBars.get(1).startMs(), "the boot file bar spans its duration");

        publish(BootEvent.of(MAC, BootEventType.ERROR, "wrong CHAP secret for client pc1"));
        Fx.await(Duration.ofSeconds(5), "the error arrives", () -> vm().model().lane("pc1").phases().stream()
                .anyMatch(b -> b.phase() == BootPhase.FAILED));
        robot.clickOn("#timeline-fit");
        BootEvent error = Fx.get(() -> vm().model().lane("pc1").phases().stream()
                .filter(b -> b.phase() == BootPhase.FAILED).findFirst().orElseThrow().lastEvent());
        Fx.await(Duration.ofSeconds(5), "the failed mark is drawn", () -> canvas.lastDrawn().stream()
                .anyMatch(b -> b.phase() == BootPhase.FAILED) && canvas.locate(error) != null);

        Point2D mark = Fx.get(() -> canvas.canvas().localToScreen(canvas.locate(error)));
        robot.moveTo(mark);
        Fx.await(Duration.ofSeconds(5), "the tooltip says what failed and the fix", () -> canvas.hoverText() != null
                && canvas.hoverText().contains("CHAP login refused: the secret in the client's settings is wrong")
                && canvas.hoverText().contains("Fix: "));

        robot.clickOn(mark);
        Fx.await(Duration.ofSeconds(5), "the click selects the failure", () -> error.equals(vm().selected().get()));
        String details = Fx.get(() -> robot.lookup("#timeline-details-headline").queryLabeled().getText() + "\n"
                + robot.lookup("#timeline-details-fix").queryLabeled().getText());
        assertTrue(details.contains("CHAP login refused: the secret in the client's settings is wrong"), details);
        assertTrue(details.contains("Fix: the secret pc1 sent does not match"), details);

        robot.type(KeyCode.LEFT);
        Fx.await(Duration.ofSeconds(5), "Left selects the lane's previous event",
                () -> vm().selected().get() != null && vm().selected().get().type() == BootEventType.ISCSI_FIRST_READ);
        assertEquals("First read", Fx.get(() -> robot.lookup("#timeline-details-headline").queryLabeled().getText()));
    }

    @Test
    void zoomChangesTheVisibleSpan(FxRobot robot) {
        long span = Fx.get(() -> vm().window().spanMs());
        robot.clickOn("#timeline-zoom-in");
        assertEquals(span / 2, (long) Fx.get(() -> vm().window().spanMs()));
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.MINUS);
        robot.type(KeyCode.MINUS);
        assertEquals(span * 2, (long) Fx.get(() -> vm().window().spanMs()));
        robot.press(KeyCode.CONTROL).scroll(3, javafx.geometry.VerticalDirection.UP).release(KeyCode.CONTROL);
        long after = Fx.get(() -> vm().window().spanMs());
        assertTrue(after != span * 2, "Ctrl+scroll zooms: " + after);
        assertNotNull(Fx.get(() -> canvas.lastDrawn()));
    }
}
