package org.netroot.app.bench;

import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.netroot.app.AppShell;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.launcher.InProcessServer;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.QemuPc;
import org.netroot.app.ui.shell.ShellOptions;
import org.netroot.app.ui.tray.TrayIcon;
import org.netroot.app.ui.wizard.WizardDialog;
import org.netroot.app.ui.wizard.WizardStep;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.NetworkInterfaceInfo;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Issue 11's "new user path": from an empty data folder to a discovered PC adopted and booting its
 * own volume, driven through the real app by a robot that counts every click, key and typed text.
 * The app opens as {@code netroot app} opens it (AppShell with the in-process server starter, the
 * wizard offered on the first load); the network is a bridge with a tap in a namespace that
 * bench/new-user.sh makes, and the PC is QEMU on the tap. Nothing is typed into a terminal or a file
 * between the app opening and the PC reading its volume.
 *
 * <p>Args: the Markdown file to write the section into (docs/benchmarks.md). Properties:
 * {@code netroot.bench.bridge} (br0), {@code netroot.bench.tap} (tap0), {@code netroot.bench.commit}.
 */
public final class NewUserPath {
    static final String MAC = "52:54:00:88:00:01";
    static final String CARD_ID = MAC.replace(':', '-');
    static final String NAME = "office-pc";
    static final int TARGET = 10;
    private static final Duration DISCOVERY_LIMIT = Duration.ofSeconds(120);
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(180);

    private final String bridge = System.getProperty("netroot.bench.bridge", "br0");
    private final String tap = System.getProperty("netroot.bench.tap", "tap0");
    private final List<String> notes = new ArrayList<>();
    private final Path work;
    private CountingRobot robot;
    private AppShell shell;
    private Instant opened;
    private Instant poweredOn;
    private Instant discovered;
    private Instant unknownScript;
    private Instant adopted;
    private List<BootEvent> timeline = List.of();
    private BootEvent script;
    private BootEvent login;
    private BootEvent firstRead;

    private NewUserPath(Path work) {
        this.work = work;
    }

    public static void main(String[] args) {
        try {
            Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md").toAbsolutePath();
            Path work = Files.createTempDirectory("netroot-newuser-");
            boolean reached = new NewUserPath(work).runAndReport(out);
            System.exit(reached ? 0 : 2);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1); // the server's and the toolkit's threads must not keep a failed run alive
        }
    }

    /** Walks the path, prints and writes what it measured (also when it stopped short); true when it got there. */
    private boolean runAndReport(Path out) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        Platform.setImplicitExit(false);
        String failure = null;
        try {
            walk();
        } catch (AssertionError e) {
            failure = e.getMessage() + appSays();
        } finally {
            if (shell != null) Fx.run(() -> {
                shell.close();
                shell.stage().hide();
            });
            Platform.exit();
        }
        NewUserReport report = new NewUserReport(robot == null ? List.of() : robot.steps(), TARGET, opened, poweredOn,
                discovered, unknownScript, adopted, script, login, firstRead, timeline, notes, failure, work);
        System.out.println(report.text());
        new MarkedSection("<!-- new-user:begin (written by bench/new-user.sh) -->", "<!-- new-user:end -->")
                .writeTo(out, report.markdown(System.getProperty("netroot.bench.commit", "?")));
        System.out.println("wrote " + out);
        return failure == null;
    }

    /** The window's connection line and message line, for a run that stopped short. */
    private String appSays() {
        if (shell == null) return "";
        return Fx.get(() -> " (the window said: \"" + shell.connection().description().get() + "\""
                + (shell.model().lastError().get() == null || shell.model().lastError().get().isBlank() ? ""
                : "; \"" + shell.model().lastError().get() + "\"") + ")");
    }

    private void walk() throws Exception {
        Path data = work.resolve("data"); // empty: it does not even exist yet, as on a first run
        opened = Instant.now();
        shell = Fx.get(() -> {
            // as NetrootApp.start: the launcher's in-process server, the desktop's tray, the wizard offered
            AppShell s = AppShell.open(new Stage(), data, new InProcessServer(data),
                    new ShellOptions(Optional.empty(), TrayIcon::forDesktop, () -> { }));
            s.wizard().offerOnFirstLoad();
            return s;
        });
        robot = new CountingRobot(new FxRobot());
        wizard();
        dismissSetUpMessage();
        Fx.await(Duration.ofSeconds(30), "the server started in this window after Finish",
                () -> shell.connection().state().get() == ConnectionState.SERVER && shell.connection().starter().running());
        try (QemuPc pc = QemuPc.powerOn(MAC, tap, work.resolve("qemu"))) {
            poweredOn = Instant.now();
            notes.add("QEMU logs: " + work.resolve("qemu"));
            adopt();
            awaitOwnVolume(pc);
        }
    }

    private void wizard() {
        Fx.await(Duration.ofSeconds(30), "the wizard opened by itself on the empty data folder", () -> {
            WizardDialog d = shell.wizard().current();
            return d != null && d.stage().isShowing() && d.viewModel().selected().get() != null;
        });
        NetworkInterfaceInfo chosen = Fx.get(() -> shell.wizard().current().viewModel().selected().get());
        if (!chosen.name().equals(bridge)) {
            notes.add("the wizard preselected " + chosen.name() + ", not " + bridge + ": one click to choose it");
            robot.click("choose " + bridge + " in the interface list", "#wizard-interfaces .list-cell:filled");
            Fx.await(Duration.ofSeconds(5), bridge + " chosen",
                    () -> bridge.equals(shell.wizard().current().viewModel().selected().get().name()));
        }
        robot.click("Network page: Next (" + bridge + " preselected; probes it for a DHCP server)", "#wizard-next");
        awaitStep(WizardStep.DHCP, Duration.ofSeconds(20));
        notes.add("Addresses page said: " + text("#wizard-recommendation"));
        robot.click("Addresses page: Next (the recommended mode and range)", "#wizard-next");
        awaitStep(WizardStep.IPXE, Duration.ofSeconds(20));
        notes.add("Boot files page said: " + text("#wizard-ipxe-status"));
        robot.click("Boot files page: Next", "#wizard-next");
        awaitStep(WizardStep.FIRST_CLIENT, Duration.ofSeconds(10));
        robot.click("First PC page: Finish (wait for the PC to be discovered, the default)", "#wizard-next");
        Fx.await(Duration.ofSeconds(60), "the settings applied after Finish", () -> !shell.wizard().outcome().get().isEmpty());
        notes.add("After Finish the app said: " + Fx.get(() -> shell.wizard().outcome().get()));
    }

    private void awaitStep(WizardStep step, Duration limit) {
        Fx.await(limit, "the wizard's " + step.title() + " page", () -> {
            var vm = shell.wizard().current().viewModel();
            if (!vm.error().get().isEmpty()) throw new AssertionError("the wizard said: " + vm.error().get());
            return vm.step().get() == step && !vm.busy().get();
        });
    }

    /** "Netroot is set up" stays over the window until it is closed: a click on its OK, when it shows. */
    private void dismissSetUpMessage() {
        Fx.await(Duration.ofSeconds(10), "the set-up message", () -> setUpOk().isPresent());
        Button ok = Fx.get(() -> setUpOk().orElseThrow());
        robot.click("\"Netroot is set up\" message: OK", ok, "OK");
        Fx.await(Duration.ofSeconds(5), "the set-up message closed", () -> setUpOk().isEmpty());
    }

    private static Optional<Button> setUpOk() {
        return Window.getWindows().stream().filter(Window::isShowing)
                .map(w -> w.getScene() == null ? null : w.getScene().getRoot())
                .filter(r -> r instanceof DialogPane p && "Netroot is set up".equals(p.getHeaderText()))
                .map(r -> (Button) ((DialogPane) r).lookupButton(ButtonType.OK)).findFirst();
    }

    private void adopt() {
        Fx.await(DISCOVERY_LIMIT, "the QEMU PC's discovered card in Clients",
                () -> shell.stage().getScene().lookup("#adopt-" + CARD_ID) != null);
        discovered = Instant.now();
        // A person reads the card first; the PC meanwhile gets the unknown-machine script (its screen says
        // "not set up yet", and it asks again every 10 s). Adopting only then walks the retry a real user
        // meets; the robot, adopting at once, would beat the PC to its first script.
        Fx.await(DISCOVERY_LIMIT, "the PC asking for its script while not set up",
                () -> shell.model().bootEvents().stream().anyMatch(e -> MAC.equals(e.mac())
                        && e.type() == BootEventType.ERROR && e.detail() != null && e.detail().contains("not set up")));
        unknownScript = Instant.now();
        robot.click("the discovered PC's card: Adopt", "#adopt-" + CARD_ID);
        Fx.await(Duration.ofSeconds(5), "the adopt dialog with the name field focused",
                () -> nameField().map(TextField::isFocused).orElse(false));
        boolean replaces = Fx.get(() -> {
            TextField f = nameField().orElseThrow();
            return f.getSelectedText().equals(f.getText());
        });
        if (!replaces) robot.press("select the suggested name", KeyCode.SHORTCUT, KeyCode.A);
        robot.type("type the PC's name", NAME);
        String size = Fx.get(() -> ((TextField) nameField().orElseThrow().getScene().lookup("#volume-size")).getText());
        notes.add("the adopt dialog suggested a new blank volume of " + size + " (kept)");
        String problem = Fx.get(() -> Optional.ofNullable(((Label) nameField().orElseThrow().getScene()
                .lookup("#client-problem")).getText()).orElse(""));
        if (!problem.isEmpty()) throw new AssertionError("the adopt dialog refuses: " + problem);
        robot.press("Enter: Adopt", KeyCode.ENTER);
        adopted = Instant.now();
        Fx.await(Duration.ofSeconds(20), "the client's card for " + NAME,
                () -> shell.stage().getScene().lookup("#client-" + NAME) != null && nameField().isEmpty());
    }

    private static Optional<TextField> nameField() {
        return Window.getWindows().stream().filter(Window::isShowing).filter(w -> w.getScene() != null)
                .map(w -> w.getScene().lookup("#client-name")).filter(n -> n instanceof TextField)
                .map(n -> (TextField) n).findFirst();
    }

    /** Login and first read of the new client's volume, as the app's timeline hears them. */
    private void awaitOwnVolume(QemuPc pc) {
        Fx.await(BOOT_LIMIT, NAME + "'s iSCSI login and first read of its volume", () -> {
            if (!pc.running()) throw new AssertionError("QEMU ended; see " + work.resolve("qemu"));
            script = after(BootEventType.SCRIPT_SERVED).orElse(null);
            login = after(BootEventType.ISCSI_LOGIN).orElse(null);
            firstRead = after(BootEventType.ISCSI_FIRST_READ).orElse(null);
            return login != null && firstRead != null;
        });
        if (script != null) notes.add("script event after adoption: " + script.detail());
        timeline = Fx.get(() -> shell.model().bootEvents().stream().filter(e -> MAC.equals(e.mac())).toList());
        notes.add("login event: " + login.detail() + "; first read: " + firstRead.detail());
    }

    private Optional<BootEvent> after(BootEventType type) {
        return shell.model().bootEvents().stream()
                .filter(e -> MAC.equals(e.mac()) && e.type() == type && !e.at().isBefore(adopted.minusSeconds(1)))
                .findFirst();
    }

    private String text(String id) {
        return Fx.get(() -> ((Label) shell.wizard().current().stage().getScene().lookup(id)).getText());
    }
}
