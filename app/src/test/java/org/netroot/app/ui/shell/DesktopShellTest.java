package org.netroot.app.ui.shell;

import javafx.scene.Node;
import javafx.scene.control.DialogPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.RecordingTray;
import org.netroot.app.testing.TestServer;
import org.netroot.app.testing.TestServerStarter;
import org.netroot.app.ui.tray.NoTray;
import org.netroot.app.ui.tray.TrayActions;
import org.netroot.app.ui.tray.TrayIcon;
import org.netroot.app.ui.window.WindowStateStore;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window on the desktop: tray or no tray, closing, quitting, remembering, theme, keyboard. */
@ExtendWith(ApplicationExtension.class)
class DesktopShellTest {
    @TempDir
    static Path tmp;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Preferences node = Preferences.userRoot().node("org/netroot/app-test/" + UUID.randomUUID());
    private final AtomicInteger exits = new AtomicInteger();
    private Stage stage;
    private TestServer server;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (shell != null) Fx.run(shell::close);
        if (server != null) server.close();
        node.removeNode();
    }

    private ShellOptions options(BiFunction<Stage, TrayActions, TrayIcon> tray) {
        return new ShellOptions(Optional.of(new WindowStateStore(node)), tray, exits::incrementAndGet);
    }

    private AppShell open(Stage on, Path data, ShellOptions options) {
        AppShell s = Fx.get(() -> AppShell.open(on, data, ServerStarter.NONE, options));
        Fx.await(WAIT, "attached", () -> s.connection().state().get() != ConnectionState.CONNECTING);
        return s;
    }

    @Test
    void withATrayClosingTheWindowKeepsTheAppAndTheTrayFollowsTheServices(FxRobot robot) throws Exception {
        Path data = tmp.resolve("tray");
        server = TestServer.start(data);
        RecordingTray tray = new RecordingTray();
        shell = open(stage, data, options(tray::create));
        Fx.await(WAIT, "tray shows the services running", () -> Boolean.TRUE.equals(tray.running()));
        assertFalse(Fx.get(() -> robot.lookup("#window-note").queryLabeled().isVisible()));

        Fx.run(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        assertFalse(Fx.get(stage::isShowing), "the window hid");
        assertEquals(0, exits.get(), "the app did not quit");
        assertEquals(ConnectionState.SERVER, Fx.get(() -> shell.connection().state().get()));

        Fx.run(() -> tray.actions().stopAll().run());
        Fx.await(WAIT, "tray shows the services stopped", () -> Boolean.FALSE.equals(tray.running()));
        try (NetrootControl api = Netroot.attach(data)) {
            assertTrue(api.status().services().stream().noneMatch(s -> s.running()), "the server's services stopped");
        }
        Fx.run(() -> tray.actions().startAll().run());
        Fx.await(WAIT, "tray shows the services running again", () -> Boolean.TRUE.equals(tray.running()));

        Fx.run(() -> shell.model().lastError().set("The services did not start: port 69 is taken"));
        assertEquals("The services did not start: port 69 is taken", tray.problem(),
                "with the window hidden, the tray tells of the failure");

        Fx.run(() -> tray.actions().openWindow().run());
        assertTrue(Fx.get(stage::isShowing), "Open window shows it again");
        Fx.run(() -> tray.actions().quit().run());
        assertEquals(1, exits.get());
        assertTrue(tray.closed(), "the icon left the tray");
    }

    @Test
    void withoutATrayTheWindowSaysSoAndQuittingAsks(FxRobot robot) {
        shell = open(stage, tmp.resolve("notray"), options((s, a) -> new NoTray()));
        assertEquals(NoTray.NOTE, Fx.get(() -> robot.lookup("#window-note").queryLabeled().getText()));

        robot.push(KeyCode.CONTROL, KeyCode.Q);
        Fx.await(WAIT, "the confirmation shows", () -> !robot.lookup("#quit-confirmation").queryAll().isEmpty());
        robot.push(KeyCode.ESCAPE);
        Fx.await(WAIT, "the confirmation closed", () -> robot.lookup("#quit-confirmation").queryAll().isEmpty());
        assertTrue(Fx.get(stage::isShowing), "Escape keeps the window");
        assertEquals(0, exits.get());

        robot.push(KeyCode.CONTROL, KeyCode.Q);
        Fx.await(WAIT, "the confirmation shows again", () -> !robot.lookup("#quit-confirmation").queryAll().isEmpty());
        robot.clickOn("#confirm-quit");
        Fx.await(WAIT, "the app quit", () -> exits.get() == 1);
        assertFalse(Fx.get(stage::isShowing));
    }

    @Test
    void quitStopsTheServerThatRunsInThisWindowAndSaysSoFirst(FxRobot robot) throws Exception {
        Path data = tmp.resolve("inprocess");
        TestServerStarter starter = new TestServerStarter(data);
        shell = Fx.get(() -> AppShell.open(stage, data, starter, options((s, a) -> new NoTray())));
        Fx.await(WAIT, "offline first", () -> shell.connection().state().get() == ConnectionState.OFFLINE);
        robot.clickOn("#start-server");
        Fx.await(WAIT, "the server runs in this window", () -> shell.connection().state().get() == ConnectionState.SERVER);
        assertTrue(starter.running());

        robot.push(KeyCode.CONTROL, KeyCode.Q);
        Fx.await(WAIT, "the confirmation shows", () -> !robot.lookup("#quit-confirmation").queryAll().isEmpty());
        String words = Fx.get(() -> robot.lookup("#quit-confirmation").queryAs(DialogPane.class).getContentText());
        assertTrue(words.contains("runs inside this window and stops too"), words);
        robot.clickOn("#confirm-quit");
        Fx.await(WAIT, "the app quit", () -> exits.get() == 1);
        assertFalse(starter.running(), "the in-process server stopped");
        try (NetrootControl api = Netroot.attach(data)) {
            assertFalse(api.status().running(), "no server answers for the data folder any more");
        }
    }

    @Test
    void sizePlaceAndLastViewComeBackNextTime() {
        Path data = tmp.resolve("memory");
        shell = open(stage, data, options(new RecordingTray()::create));
        Fx.run(() -> {
            stage.setX(40);
            stage.setY(30);
            stage.setWidth(1000);
            stage.setHeight(700);
            shell.window().show("Volumes");
        });
        Fx.run(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        Fx.run(shell::close);

        Stage second = Fx.get(Stage::new);
        shell = open(second, data, options(new RecordingTray()::create));
        assertEquals("Volumes", Fx.get(() -> shell.window().currentView()));
        assertEquals(1000, Fx.get(second::getWidth), 1);
        assertEquals(700, Fx.get(second::getHeight), 1);
        assertEquals(40, Fx.get(second::getX), 1);
        assertEquals(30, Fx.get(second::getY), 1);
        Fx.run(second::hide);
    }

    @Test
    void theThemeSwitchesFromTheKeyboardAndIsRemembered(FxRobot robot) {
        shell = open(stage, tmp.resolve("theme"), options((s, a) -> new NoTray()));
        boolean before = Fx.get(() -> shell.theme().dark().get());
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D);
        Fx.await(WAIT, "the theme switched", () -> shell.theme().dark().get() != before);
        assertEquals(Optional.of(before ? "light" : "dark"), new WindowStateStore(node).theme());
    }

    @Test
    void viewsSwitchWithTheKeyboardOnly(FxRobot robot) {
        shell = open(stage, tmp.resolve("keys"), options((s, a) -> new NoTray()));
        assertEquals("Clients", Fx.get(() -> shell.window().currentView()));
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT3);
        Fx.await(WAIT, "Ctrl+3 shows Volumes", () -> "Volumes".equals(shell.window().currentView()));

        // Tab into the sidebar, then arrows and Enter, like a keyboard user
        for (int i = 0; i < 20 && !focusIsInSidebar(); i++) robot.push(KeyCode.TAB);
        assertTrue(focusIsInSidebar(), "Tab reaches the sidebar");
        robot.push(KeyCode.HOME).push(KeyCode.DOWN).push(KeyCode.ENTER);
        Fx.await(WAIT, "Down+Enter opens the second view", () -> "Timeline".equals(shell.window().currentView()));
        robot.push(KeyCode.END).push(KeyCode.ENTER);
        Fx.await(WAIT, "End+Enter opens the last view", () -> "Services".equals(shell.window().currentView()));
        robot.push(KeyCode.UP).push(KeyCode.SPACE);
        Fx.await(WAIT, "Up+Space opens the one above", () -> "Assets".equals(shell.window().currentView()));
        assertEquals("nav-assets", Fx.get(() -> stage.getScene().getFocusOwner().getId()));
    }

    private boolean focusIsInSidebar() {
        return Fx.get(() -> {
            Node focus = stage.getScene().getFocusOwner();
            return focus != null && focus.getId() != null && focus.getId().startsWith("nav-");
        });
    }
}
