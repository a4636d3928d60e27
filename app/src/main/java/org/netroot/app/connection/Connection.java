package org.netroot.app.connection;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.RemoteControl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The app's one way to the data folder: attaches (off the FX thread) to the server that runs for it,
 * else opens the offline view; says which in {@link #description()}. Re-attaching (after a server
 * started or stopped) hands the new {@link NetrootControl} to every listener, on the FX thread.
 */
public final class Connection implements AutoCloseable {
    private final Path dataDir;
    private final ServerStarter starter;
    private final ExecutorService io = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("netroot-app-io-", 0).factory());
    private final ReadOnlyObjectWrapper<ConnectionState> state = new ReadOnlyObjectWrapper<>(ConnectionState.CONNECTING);
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper("Connecting...");
    private final List<Consumer<NetrootControl>> listeners = new ArrayList<>();
    private volatile NetrootControl control;
    private volatile boolean closed;

    public Connection(Path dataDir, ServerStarter starter) {
        this.dataDir = dataDir;
        this.starter = starter;
    }

    public Path dataDir() {
        return dataDir;
    }

    public ServerStarter starter() {
        return starter;
    }

    /** Runs blocking work (API calls, disk) off the FX thread. */
    public ExecutorService io() {
        return io;
    }

    /** The control in use; null until the first attach finished. Call it off the FX thread only. */
    public NetrootControl control() {
        return control;
    }

    public ReadOnlyObjectProperty<ConnectionState> state() {
        return state.getReadOnlyProperty();
    }

    /** One line for the window: which server the app is attached to, or that none runs. */
    public ReadOnlyStringProperty description() {
        return description.getReadOnlyProperty();
    }

    /** Called on the FX thread with each new control (after every attach). */
    public void onAttached(Consumer<NetrootControl> listener) {
        listeners.add(listener);
        if (control != null) listener.accept(control);
    }

    /** Attaches in the background: to the running server, else offline. */
    public void attach() {
        setState(ConnectionState.CONNECTING, "Looking for the Netroot server of " + dataDir + "...");
        io.execute(() -> {
            NetrootControl previous = control;
            try {
                if (previous != null) previous.close();
                NetrootControl next = Netroot.attach(dataDir,
                        line -> Platform.runLater(() -> description.set(line)));
                if (closed) {
                    next.close();
                    return;
                }
                control = next;
                boolean server = next instanceof RemoteControl || starter.running();
                String words = server ? serverDescription() : "No server runs for " + dataDir
                        + ": you can prepare clients and volumes; start the server to boot them";
                Platform.runLater(() -> {
                    setState(server ? ConnectionState.SERVER : ConnectionState.OFFLINE, words);
                    listeners.forEach(l -> l.accept(next));
                });
            } catch (RuntimeException e) {
                String words = "Cannot open " + dataDir + ": " + e.getMessage();
                Platform.runLater(() -> setState(ConnectionState.FAILED, words));
            }
        });
    }

    private String serverDescription() {
        if (starter.running()) return "Server running in this window for " + dataDir + " (stops when you quit)";
        return "Attached to the Netroot server of " + dataDir + " (system service or `netroot serve`)";
    }

    private void setState(ConnectionState s, String words) {
        state.set(s);
        description.set(words);
    }

    @Override
    public void close() {
        closed = true;
        NetrootControl c = control;
        if (c != null) c.close();
        io.shutdownNow();
    }
}
