package org.netroot.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.netroot.app.connection.Connection;
import org.netroot.app.connection.ServerStarter;
import org.netroot.app.model.AppModel;
import org.netroot.app.ui.MainWindow;
import org.netroot.app.ui.clients.ClientsView;
import org.netroot.app.ui.common.Background;
import org.netroot.app.ui.common.View;
import org.netroot.app.ui.services.ServicesView;
import org.netroot.app.ui.timeline.TimelineView;
import org.netroot.app.ui.volumes.VolumesView;
import org.netroot.app.ui.wizard.FirstRunWizard;

import java.nio.file.Path;
import java.util.List;

/**
 * Builds the window for a data folder: connection, model, views, theme; attaches in the background.
 * Tests open it on their own stage against a server they started.
 */
public final class AppShell implements AutoCloseable {
    private final Stage stage;
    private final Connection connection;
    private final AppModel model;
    private final MainWindow window;
    private FirstRunWizard wizard;

    private AppShell(Stage stage, Connection connection, AppModel model, MainWindow window) {
        this.stage = stage;
        this.connection = connection;
        this.model = model;
        this.window = window;
    }

    /** Opens the window on {@code stage} and starts attaching to the data folder's server. FX thread. */
    public static AppShell open(Stage stage, Path dataDir, ServerStarter starter) {
        Theme.apply();
        Connection connection = new Connection(dataDir, starter);
        AppModel model = new AppModel(connection.io());
        AppContext context = new AppContext(connection, model);
        List<View> views = List.of(new ClientsView(context), new TimelineView(context), new VolumesView(context),
                new ServicesView(context));
        MainWindow window = new MainWindow(context, views);
        AppShell shell = new AppShell(stage, connection, model, window);
        window.startServerButton().setOnAction(e -> shell.startServer());
        shell.wizard = FirstRunWizard.install(context, stage, window);
        connection.onAttached(model::attach);
        Scene scene = new Scene(window.root(), 1200, 780);
        scene.getStylesheets().add(AppShell.class.getResource("app.css").toExternalForm());
        stage.setTitle("Netroot");
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.show();
        connection.attach();
        return shell;
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

    @Override
    public void close() {
        model.close();
        connection.close();
        connection.starter().stop();
    }

    /** The app's look: AtlantaFX Primer, dark when the desktop prefers dark. */
    static final class Theme {
        private Theme() {
        }

        static void apply() {
            Application.setUserAgentStylesheet(DesktopPreferences.prefersDark()
                    ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        }
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
