package org.netroot.app.screenshots;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.netroot.app.AppShell;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.QemuPc;
import org.netroot.app.testing.TestServer;
import org.netroot.app.ui.shell.ShellOptions;
import org.netroot.app.ui.tray.TrayIcon;
import org.netroot.server.api.BootEventType;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Saves a PNG of every view of the app, and of the first-run wizard when there is one, for
 * README.md. Runs a real server on loopback with {@link DemoData}, opens the app against it on the
 * real desktop (run it under Xvfb: scripts/screenshots.sh) and snapshots each view's scene. Views
 * still being built show as their placeholders; views added later are picked up from the sidebar.
 */
public final class ScreenshotTour {
    private static final Duration SETTLE = Duration.ofMillis(1200);

    private ScreenshotTour() {
    }

    public static void main(String[] args) {
        try {
            tour(args);
            System.exit(0);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1); // the server's and the toolkit's threads must not keep a failed run alive
        }
    }

    private static void tour(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots").toAbsolutePath();
        Files.createDirectories(out);
        // A short, fixed path: the banner shows it ("Attached to the Netroot server of /tmp/netroot-demo/data").
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "netroot-demo");
        deleteTree(work);
        Files.createDirectories(work);
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        Platform.setImplicitExit(false);
        List<Path> written = new ArrayList<>();
        Path data = work.resolve("data");
        boolean real = RealBoot.wanted();
        try (TestServer server = TestServer.start(data, real ? RealBoot.serverConfig(data) : TestServer.loopback(data))) {
            DemoData.fill(server, real);
            written.addAll(views(server.dataDir(), out, real ? work.resolve("qemu") : null));
            written.addAll(wizard(work.resolve("empty"), out));
        } finally {
            Platform.exit();
        }
        written.forEach(p -> System.out.println("wrote " + p));
    }

    private static ShellOptions options() {
        return new ShellOptions(Optional.empty(), TrayIcon::forDesktop, () -> { });
    }

    /** One PNG per sidebar entry, named after it (clients.png, timeline.png, ...). */
    private static List<Path> views(Path data, Path out, Path qemuLogs) throws Exception {
        AppShell shell = open(data);
        try (QemuPc pc = qemuLogs == null ? null : RealBoot.powerOn(DemoData.REAL_PC_MAC, qemuLogs)) {
            Fx.await(Duration.ofSeconds(20), "attached and loaded", () ->
                    shell.connection().state().get() == ConnectionState.SERVER
                            && shell.model().clients().size() >= DemoData.CLIENTS
                            && !shell.model().bootEvents().isEmpty() && !shell.model().discovered().isEmpty());
            if (pc != null) awaitRealBoot(shell, qemuLogs);
            List<Path> files = new ArrayList<>();
            for (String title : Fx.get(() -> shell.window().viewTitles())) {
                Fx.run(() -> {
                    shell.window().show(title);
                    // the timeline shows every boot of the demo, the failed one too, not just the last minutes
                    if (shell.stage().getScene().lookup("#timeline-fit") instanceof javafx.scene.control.Button fit
                            && fit.isVisible()) fit.fire();
                });
                Thread.sleep(SETTLE.toMillis());
                files.add(save(Fx.get(() -> shell.stage().getScene()), out.resolve(fileName(title))));
            }
            return files;
        } finally {
            close(shell);
        }
    }

    /** Waits (bounded) until the QEMU PC read its volume, as the app saw it; goes on with what it has. */
    private static void awaitRealBoot(AppShell shell, Path qemuLogs) {
        try {
            Fx.await(Duration.ofSeconds(Long.getLong("netroot.tour.bootSeconds", 150)), "the QEMU PC's first iSCSI read",
                    () -> shell.model().bootEvents().stream().anyMatch(e -> DemoData.REAL_PC_MAC.equals(e.mac())
                            && e.type() == BootEventType.ISCSI_FIRST_READ));
            Thread.sleep(2000); // the OS's further reads and the cards' rates
        } catch (AssertionError | InterruptedException e) {
            System.out.println("the QEMU PC did not reach its first read (" + e.getMessage() + "); see " + qemuLogs);
        }
    }

    /** The app on a window of one size for every shot (the screen is 1400x900). */
    private static AppShell open(Path data) {
        return open(data, false);
    }

    /** With {@code offerWizard}, as NetrootApp does: a data folder with nothing in it opens the first-run wizard. */
    private static AppShell open(Path data, boolean offerWizard) {
        return Fx.get(() -> {
            AppShell shell = AppShell.open(new Stage(), data, ServerStarter.NONE, options());
            if (offerWizard) shell.wizard().offerOnFirstLoad();
            shell.stage().setWidth(1280);
            shell.stage().setHeight(820);
            shell.stage().centerOnScreen();
            return shell;
        });
    }

    private static void close(AppShell shell) {
        Fx.run(() -> {
            shell.close();
            shell.stage().hide();
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /**
     * The wizard, when the app opens one for a data folder with no client (a dialog or a window of
     * its own): every window besides the main one is saved, the first as wizard.png.
     */
    private static List<Path> wizard(Path emptyData, Path out) throws Exception {
        AppShell shell = open(emptyData, true);
        try {
            Fx.await(Duration.ofSeconds(20), "empty data folder opened",
                    () -> shell.connection().state().get() != ConnectionState.CONNECTING);
            Thread.sleep(3 * SETTLE.toMillis());
            List<Scene> others = Fx.get(() -> Window.getWindows().stream()
                    .filter(w -> w != shell.stage() && w.isShowing() && w.getScene() != null)
                    .map(Window::getScene).toList());
            if (others.isEmpty()) {
                // No wizard window (yet): show what a first run looks like in the main window instead.
                System.out.println("no wizard window opened for an empty data folder: wrote first-run.png instead");
                return List.of(save(Fx.get(() -> shell.stage().getScene()), out.resolve("first-run.png")));
            }
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < others.size(); i++) {
                files.add(save(others.get(i), out.resolve(i == 0 ? "wizard.png" : "wizard-" + (i + 1) + ".png")));
            }
            return files;
        } finally {
            close(shell);
        }
    }

    static String fileName(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-") + ".png";
    }

    private static Path save(Scene scene, Path file) throws IOException {
        var image = Fx.get(() -> scene.snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        return file;
    }
}
