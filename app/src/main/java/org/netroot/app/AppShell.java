package org.netroot.app;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.netroot.app.connection.Connection;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.model.AppModel;
import org.netroot.app.ui.MainWindow;
import org.netroot.app.ui.assets.AssetsView;
import org.netroot.app.ui.clients.ClientsView;
import org.netroot.app.ui.common.Background;
import org.netroot.app.ui.common.View;
import org.netroot.app.ui.services.ServicesView;
import org.netroot.app.ui.shell.AppMenuBar;
import org.netroot.app.ui.shell.QuitConfirmation;
import org.netroot.app.ui.shell.ShellCommands;
import org.netroot.app.ui.shell.ShellOptions;
import org.netroot.app.ui.theme.Theme;
import org.netroot.app.ui.timeline.TimelineView;
import org.netroot.app.ui.tray.NoTray;
import org.netroot.app.ui.tray.TrayActions;
import org.netroot.app.ui.tray.TrayIcon;
import org.netroot.app.ui.volumes.VolumesView;
import org.netroot.app.ui.wizard.FirstRunWizard;
import org.netroot.app.ui.window.WindowMemory;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;

import java.nio.file.Path;
import java.util.List;

/**
 * Builds the window for a data folder: connection, model, views, theme, menus, tray; attaches in
 * the background. Closing the window keeps the app in the tray when there is one, else asks and
 * quits. Tests open it on their own stage against a server they started.
 */
public final class AppShell implements AutoCloseable {
    private final Stage stage;
    private final Connection connection;
    private final AppModel model;
    private final MainWindow window;
    private FirstRunWizard wizard;
    private final ShellOptions options;
    private final Theme theme;
    private final WindowMemory memory;
    private TrayIcon tray = new NoTray();
    private boolean closed;

    private AppShell(Stage stage, Connection connection, AppModel model, MainWindow window, ShellOptions options,
                     Theme theme) {
        this.stage = stage;
        this.connection = connection;
        this.model = model;
        this.window = window;
        this.options = options;
        this.theme = theme;
        this.memory = new WindowMemory(stage, options.windowState());
    }

    /** A window that remembers nothing and has no tray (tests, tools). FX thread. */
    public static AppShell open(Stage stage, Path dataDir, ServerStarter starter) {
        return open(stage, dataDir, starter, ShellOptions.embedded());
    }

    /** Opens the window on {@code stage} and starts attaching to the data folder's server. FX thread. */
    public static AppShell open(Stage stage, Path dataDir, ServerStarter starter, ShellOptions options) {
        boolean dark = options.windowState().flatMap(s -> s.theme()).map("dark"::equals)
                .orElseGet(DesktopPreferences::prefersDark);
        Theme theme = new Theme(dark);
        Connection connection = new Connection(dataDir, starter);
        AppModel model = new AppModel(connection.io());
        AppContext context = new AppContext(connection, model);
        List<View> views = List.of(new ClientsView(context), new TimelineView(context), new VolumesView(context),
                new AssetsView(context), new ServicesView(context));
        MainWindow window = new MainWindow(context, views);
        AppShell shell = new AppShell(stage, connection, model, window, options, theme);
        shell.build();
        shell.wizard = FirstRunWizard.install(context, stage, window);
        connection.attach();
        return shell;
    }

    private void build() {
        window.startServerButton().setOnAction(e -> startServer());
        connection.onAttached(model::attach);
        ShellCommands commands = new ShellCommands(this::startAllServices, this::stopAllServices,
                this::closeWindow, () -> quit(true));
        window.setMenuBar(AppMenuBar.of(window, theme, commands));
        options.windowState().ifPresent(store -> theme.dark().addListener(o -> store.saveTheme(theme.name())));
        Scene scene = new Scene(window.root(), 1200, 780);
        scene.getStylesheets().add(AppShell.class.getResource("app.css").toExternalForm());
        stage.setTitle("Netroot");
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        memory.restore(window);
        stage.setOnCloseRequest(e -> {
            e.consume();
            closeWindow();
        });
        stage.show();
        tray = options.tray().apply(stage, new TrayActions(this::startAllServices, this::stopAllServices,
                this::openWindow, () -> quit(true)));
        if (!tray.present()) window.showNote(NoTray.NOTE);
        model.status().addListener(o -> showServicesInTray());
        model.lastError().addListener((o, was, now) -> {
            if (now != null && !now.isBlank() && !stage.isShowing()) tray.showProblem(now);
        });
        connection.state().addListener(o -> showServicesInTray());
        showServicesInTray();
    }

    private void showServicesInTray() {
        tray.showServicesRunning(servicesRun(connection.state().get(), model.status().get()));
    }

    /** What the tray's look says: a server is attached and at least one of its services runs. */
    static boolean servicesRun(ConnectionState state, ServerStatus status) {
        return state == ConnectionState.SERVER && status.running()
                && status.services().stream().anyMatch(ServerStatus.ServiceState::running);
    }

    /** Starts a server in this process (when allowed), then attaches to it; explains why not otherwise. */
    void startServer() {
        ServerStarter starter = connection.starter();
        var problem = starter.privilegeProblem();
        if (problem.isPresent()) {
            model.lastError().set("Cannot start the server from this window: " + problem.get());
            return;
        }
        window.startServerButton().setDisable(true);
        Background.run(connection.io(), () -> {
            NetrootControlCloser.close(connection);
            starter.start();
            return null;
        }, ok -> {
            window.startServerButton().setDisable(false);
            connection.attach();
        }, error -> {
            window.startServerButton().setDisable(false);
            model.lastError().set("The server did not start: " + error);
            connection.attach();
        });
    }

    /** Start all: every service of the attached server; with no server running, starts one here. */
    void startAllServices() {
        if (connection.state().get() == ConnectionState.OFFLINE) {
            startServer();
            return;
        }
        NetrootControl control = model.control();
        if (control == null) return;
        Background.run(connection.io(), control::startAllServices, model.status()::set,
                error -> model.lastError().set("The services did not start: " + error));
    }

    void stopAllServices() {
        NetrootControl control = model.control();
        if (control == null || connection.state().get() != ConnectionState.SERVER) return;
        Background.run(connection.io(), control::stopAllServices, model.status()::set,
                error -> model.lastError().set("The services did not stop: " + error));
    }

    void openWindow() {
        stage.show();
        stage.setIconified(false);
        stage.toFront();
    }

    /** The window's close button: hide to the tray when there is one, else ask and quit. */
    void closeWindow() {
        if (tray.present()) {
            memory.remember(window, connection.io());
            stage.hide();
        } else {
            quit(true);
        }
    }

    /** Ends the app: asks first when there is no tray; stops a server that runs in this process. */
    void quit(boolean ask) {
        if (closed) return;
        if (ask && !tray.present() && !QuitConfirmation.ask(stage, serverKind())) return;
        memory.remember(window, connection.io());
        stage.hide();
        close();
        options.exit().run();
    }

    private QuitConfirmation.Server serverKind() {
        if (connection.starter().running()) return QuitConfirmation.Server.IN_THIS_WINDOW;
        return connection.state().get() == ConnectionState.SERVER ? QuitConfirmation.Server.ELSEWHERE
                : QuitConfirmation.Server.NONE;
    }

    public Stage stage() {
        return stage;
    }

    public Connection connection() {
        return connection;
    }

    public AppModel model() {
        return model;
    }

    public MainWindow window() {
        return window;
    }

    /** The first-run wizard's hook ("Run setup again"; the app also offers it on a fresh data folder). */
    public FirstRunWizard wizard() {
        return wizard;
    }

    public Theme theme() {
        return theme;
    }

    /** True when the tray holds the app while its window is closed. */
    public boolean hasTray() {
        return tray.present();
    }

    /** Releases the tray, the connection and an in-process server (idempotent). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        tray.close();
        model.close();
        connection.close();
        connection.starter().stop();
    }

    /** The offline view holds the database: let go of it before an in-process server opens it. */
    static final class NetrootControlCloser {
        private NetrootControlCloser() {
        }

        static void close(Connection c) {
            var control = c.control();
            if (control != null) control.close();
        }
    }
}
