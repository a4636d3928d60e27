package org.netroot.app.ui.timeline;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.QemuPc;
import org.netroot.app.testing.TestServer;
import org.netroot.app.testing.VethNetwork;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.ServerConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The timeline of a real boot: a BIOS QEMU PC (iPXE ROM, no disk) in a namespace of its own boots from
 * a Netroot server (full DHCP on the veth pair's root end) while the app shows the Timeline; the PC's
 * lane gets its phases from the server's real events, drawn left to right in boot order up to the
 * first read of its (blank) volume. Needs root and QEMU; skipped otherwise.
 */
@Tag("lab")
@ExtendWith(ApplicationExtension.class)
class TimelineRealBootTest {
    private static final String MAC = "52:54:00:7b:00:01";
    @TempDir
    static Path tmp;
    private Stage stage;
    private VethNetwork net;
    private TestServer server;
    private AppShell shell;
    private QemuPc pc;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pc != null) pc.close();
        if (shell != null) Fx.run(shell::close);
        if (server != null) server.close();
        if (net != null) net.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRealBootIsDrawnInBootOrderUpToTheFirstRead(FxRobot robot) throws Exception {
        assumeTrue(QemuPc.canRun(), "needs root (namespace, tap), qemu-system-x86_64 and ipxe-qemu's pxe-e1000.rom");
        assumeTrue(Files.exists(Path.of("/usr/lib/ipxe/undionly.kpxe")), "needs Debian's ipxe package");
        net = VethNetwork.create("tr", tmp);
        String tap = net.addTap();
        Path data = tmp.resolve("data");
        server = TestServer.start(data, new ServerConfig(data, List.of(net.hostInterface()), DhcpMode.FULL,
                address(net.address(100)), address(net.address(199)), null, 67, 4011, 69, 80, 3260, 0,
                Path.of("/usr/lib/ipxe"), null, 3600));
        try (NetrootControl api = Netroot.attach(data)) {
            api.createVolume("lab-pc", 8L << 20);
            api.addClient(Client.sanboot("lab-pc", MAC, "lab-pc"));
        }
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-timeline");
        TimelineCanvas canvas = robot.lookup("#timeline-canvas").queryAs(TimelineCanvas.class);

        pc = QemuPc.powerOn(MAC, tap, tmp.resolve("qemu"), net.inNamespace());
        Fx.await(Duration.ofSeconds(150), "the PC's first read of its volume, as the app saw it (QEMU logs in "
                + tmp.resolve("qemu") + ")", () -> shell.model().bootEvents().stream()
                .anyMatch(e -> MAC.equals(e.mac()) && e.type() == BootEventType.ISCSI_FIRST_READ));

        robot.clickOn("#timeline-fit");
        List<BootPhase> expected = List.of(BootPhase.DHCP, BootPhase.SCRIPT, BootPhase.ISCSI_LOGIN,
                BootPhase.FIRST_READ);
        Fx.await(Duration.ofSeconds(5), "the lane drawn with its boot phases", () -> bootPhasesLeftToRight(canvas)
                .containsAll(expected));
        List<BootPhase> drawn = Fx.get(() -> bootPhasesLeftToRight(canvas));
        assertEquals(expected, drawn.stream().filter(expected::contains).distinct().toList(),
                "DHCP, script, iSCSI login and first read drawn left to right in that order: " + drawn);
    }

    /** The phases drawn in the PC's lane, ordered by where they start on screen. FX thread. */
    private static List<BootPhase> bootPhasesLeftToRight(TimelineCanvas canvas) {
        return canvas.lastDrawn().stream().filter(b -> b.lane().equals("lab-pc"))
                .sorted(Comparator.comparingDouble(DrawnBar::x)).map(DrawnBar::phase).toList();
    }

    private static Inet4Address address(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }
}
