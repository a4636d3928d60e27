package org.netroot.app.ui.services;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.ui.common.Background;
import org.netroot.server.api.ControlEndpoint;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the Services view shows and does: one {@link ServiceRow} per service from the live status
 * (kept current by the change stream through the model), the server's warnings, whether a server
 * runs at all, and start/stop of one or all services, each run off the FX thread.
 */
public final class ServicesViewModel {
    /** The busy key of "start all" / "stop all". */
    static final String ALL = "*";

    private final ObjectProperty<ServerStatus> status;
    private final ObservableValue<ConnectionState> connection;
    private final Executor io;
    private final Supplier<NetrootControl> control;
    private final Path dataDir;
    private final ObservableList<ServiceRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> warnings = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper server = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper allBusy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper offline = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper offlineText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper controlApi = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final Set<String> busy = new HashSet<>();
    private final Map<String, String> actionErrors = new HashMap<>();

    /**
     * @param status     the model's live status (the view model replaces it with what an action answers)
     * @param connection whether a server runs for the data folder
     * @param control    the API in use (called off the FX thread only)
     */
    public ServicesViewModel(ObjectProperty<ServerStatus> status, ObservableValue<ConnectionState> connection,
                             Executor io, Supplier<NetrootControl> control, Path dataDir) {
        this.status = status;
        this.connection = connection;
        this.io = io;
        this.control = control;
        this.dataDir = dataDir;
        status.addListener((o, was, now) -> refresh());
        connection.addListener((o, was, now) -> connectionChanged(now));
        connectionChanged(connection.getValue());
    }

    public ObservableList<ServiceRow> rows() {
        return rows;
    }

    /** The server's warnings (e.g. missing iPXE files), without old start failures the cards already tell. */
    public ObservableList<String> warnings() {
        return warnings;
    }

    /** True while a server runs for the data folder: the services exist only then. */
    public ReadOnlyBooleanProperty server() {
        return server.getReadOnlyProperty();
    }

    /** True when no server runs for the data folder (the window's banner then offers to start one). */
    public ReadOnlyBooleanProperty offline() {
        return offline.getReadOnlyProperty();
    }

    /** True while "start all" or "stop all" runs. */
    public ReadOnlyBooleanProperty allBusy() {
        return allBusy.getReadOnlyProperty();
    }

    /** Why there are no services to show, in words ("" while a server runs). */
    public ReadOnlyStringProperty offlineText() {
        return offlineText.getReadOnlyProperty();
    }

    /** "127.0.0.1:7067 (loopback only; ...)" while a server runs, else "". */
    public ReadOnlyStringProperty controlApi() {
        return controlApi.getReadOnlyProperty();
    }

    /** The failure of the last "start all" / "stop all", in words (null when none). */
    public ReadOnlyStringProperty error() {
        return error.getReadOnlyProperty();
    }

    public void start(String name) {
        act(name, c -> c.startService(name));
    }

    public void stop(String name) {
        act(name, c -> c.stopService(name));
    }

    public void startAll() {
        act(ALL, NetrootControl::startAllServices);
    }

    public void stopAll() {
        act(ALL, NetrootControl::stopAllServices);
    }

    private void act(String key, Function<NetrootControl, ServerStatus> call) {
        NetrootControl c = control.get();
        if (c == null || !busy.add(key)) return;
        actionErrors.remove(key);
        if (key.equals(ALL)) error.set(null);
        refresh();
        Background.run(io, () -> call.apply(c), result -> {
            busy.remove(key);
            status.set(result);
            refresh(); // the stream may have brought an equal status already: then set() told no one
        }, words -> {
            busy.remove(key);
            if (key.equals(ALL)) error.set(words);
            else actionErrors.put(key, words);
            refresh();
        });
    }

    private void connectionChanged(ConnectionState state) {
        server.set(state == ConnectionState.SERVER);
        offline.set(state == ConnectionState.OFFLINE);
        offlineText.set(switch (state) {
            case SERVER -> "";
            case OFFLINE -> "Services run only in a Netroot server, and none runs for " + dataDir
                    + ". Start one from this window, or run `netroot serve` (or the netroot system service).";
            case CONNECTING -> "Looking for the Netroot server of " + dataDir + "...";
            case FAILED -> "Cannot reach the data folder " + dataDir + ": see the line at the top.";
        });
        controlApi.set("");
        if (state == ConnectionState.SERVER) {
            Background.run(io, () -> ControlEndpoint.read(dataDir), this::showEndpoint, words -> { });
        }
        refresh();
    }

    private void showEndpoint(Optional<ControlEndpoint> endpoint) {
        if (!server.get()) return;
        controlApi.set(endpoint.map(e -> "127.0.0.1:" + e.port() + "/tcp · loopback only, token in "
                + ControlEndpoint.FILE_NAME).orElse(""));
    }

    /** Rebuilds rows and warnings from the status; replaces rows only where they changed (keeps focus). */
    void refresh() {
        ServerStatus s = status.get();
        List<ServiceRow> next = new ArrayList<>();
        if (server.get() && s != null) {
            if (s.services().stream().noneMatch(svc -> svc.name().equals("DHCP"))) next.add(ServiceRow.dhcpOff());
            for (ServerStatus.ServiceState state : s.services()) {
                next.add(ServiceRow.of(state, busy.contains(state.name()) || busy.contains(ALL),
                        actionErrors.get(state.name())));
            }
        }
        if (!next.equals(rows)) rows.setAll(next);
        List<String> w = s == null || !server.get() ? List.of() : currentWarnings(s);
        if (!w.equals(warnings)) warnings.setAll(w);
        allBusy.set(busy.contains(ALL));
    }

    /** A start failure at server start is also a warning; the service's card tells its state now. */
    static List<String> currentWarnings(ServerStatus s) {
        return s.warnings().stream().filter(w -> s.services().stream()
                .noneMatch(svc -> w.startsWith(svc.name() + ":") || w.startsWith(svc.name() + " "))).toList();
    }
}
