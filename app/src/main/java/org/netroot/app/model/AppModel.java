package org.netroot.app.model;

import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.netroot.server.api.Asset;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.DiscoveredMachine;
import org.netroot.server.api.Job;
import org.netroot.server.api.Lease;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the server holds, as JavaFX lists the views bind to. Loaded once per attach (off the FX
 * thread), then kept current by the API's change stream: events arrive on the stream's thread, are
 * queued, and applied on the FX thread in batches (one {@code runLater} per burst, never one per
 * event). Nothing here polls.
 */
public final class AppModel {
    /** The timeline keeps this many boot events; older ones drop off (the server keeps them all). */
    public static final int MAX_BOOT_EVENTS = 20_000;

    private final Executor io;
    private final ObservableList<Client> clients = FXCollections.observableArrayList();
    private final ObservableList<Volume> volumes = FXCollections.observableArrayList();
    private final ObservableList<DiscoveredMachine> discovered = FXCollections.observableArrayList();
    private final ObservableList<Asset> assets = FXCollections.observableArrayList();
    private final ObservableList<Job> jobs = FXCollections.observableArrayList();
    private final ObservableList<Lease> leases = FXCollections.observableArrayList();
    private final ObservableList<BootEvent> bootEvents = FXCollections.observableArrayList();
    private final ObservableList<ClientActivity> clientActivity = FXCollections.observableArrayList();
    private final ObservableList<VolumeActivity> volumeActivity = FXCollections.observableArrayList();
    private final ObjectProperty<ServerStatus> status = new SimpleObjectProperty<>(ServerStatus.offline());
    private final ObjectProperty<String> lastError = new SimpleObjectProperty<>();
    private final List<Consumer<ChangeEvent>> changeListeners = new ArrayList<>();
    /** Stream changes on their way to the FX thread, each with the attach (generation) whose stream sent it. */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile NetrootControl control;
    private AutoCloseable subscription;
    private long generation;
    /**
     * FX thread. While a snapshot is read, stream changes wait here and are applied on top of it: a
     * snapshot read before a change but applied after it must not undo it.
     */
    private List<ChangeEvent> heldWhileLoading;

    public AppModel(Executor io) {
        this.io = io;
    }

    public ObservableList<Client> clients() {
        return clients;
    }

    public ObservableList<Volume> volumes() {
        return volumes;
    }

    public ObservableList<DiscoveredMachine> discovered() {
        return discovered;
    }

    /** The asset library (kernels, initrds, ISOs, root images), by name. */
    public ObservableList<Asset> assets() {
        return assets;
    }

    public ObservableList<Job> jobs() {
        return jobs;
    }

    public ObservableList<Lease> leases() {
        return leases;
    }

    /** Boot events, oldest first, at most {@link #MAX_BOOT_EVENTS}. */
    public ObservableList<BootEvent> bootEvents() {
        return bootEvents;
    }

    /** What each client is doing now (one entry per client the server has seen). */
    public ObservableList<ClientActivity> clientActivity() {
        return clientActivity;
    }

    /** Open volumes and their I/O rates (one entry per volume). */
    public ObservableList<VolumeActivity> volumeActivity() {
        return volumeActivity;
    }

    public ObjectProperty<ServerStatus> status() {
        return status;
    }

    /** The last failure of a load or the stream, in words (null when all is well). */
    public ObjectProperty<String> lastError() {
        return lastError;
    }

    /** The control in use (null before the first attach). Call its methods off the FX thread only. */
    public NetrootControl control() {
        return control;
    }

    public Executor io() {
        return io;
    }

    /** Hears every change on the FX thread after the lists were updated (timeline, client states). */
    public void onChange(Consumer<ChangeEvent> listener) {
        changeListeners.add(listener);
    }

    /** Switches to a newly attached control: subscribes first, then loads, so nothing is missed. FX thread. */
    public void attach(NetrootControl next) {
        closeSubscription();
        control = next;
        long gen = ++generation;
        heldWhileLoading = new ArrayList<>();
        io.execute(() -> {
            try {
                AutoCloseable sub = next.subscribe(0, new StreamListener(gen));
                Platform.runLater(() -> {
                    if (gen == generation) subscription = sub;
                    else closeQuietly(sub);
                });
                reload(gen, next);
            } catch (RuntimeException e) {
                Platform.runLater(() -> {
                    if (gen != generation) return; // a former attach's failure says nothing about this one
                    lastError.set("Cannot follow the server's changes: " + e.getMessage());
                    applyHeld(Long.MAX_VALUE);
                });
            }
        });
    }

    /** Reads every list again (after a RESET, or on demand). FX thread. */
    public void reload() {
        NetrootControl c = control;
        long gen = generation;
        if (c == null) return;
        if (heldWhileLoading == null) heldWhileLoading = new ArrayList<>();
        io.execute(() -> reload(gen, c));
    }

    private void reload(long gen, NetrootControl c) {
        try {
            Snapshot s = Snapshot.read(c);
            Platform.runLater(() -> {
                if (gen != generation) return;
                clients.setAll(s.clients());
                volumes.setAll(s.volumes());
                discovered.setAll(s.discovered());
                assets.setAll(s.assets());
                jobs.setAll(s.jobs());
                leases.setAll(s.leases());
                status.set(s.status());
                setBootEvents(s.bootEvents());
                clientActivity.setAll(s.clientActivity());
                volumeActivity.setAll(s.volumeActivity());
                lastError.set(null);
                long lastStored = s.bootEvents().isEmpty() ? 0 : s.bootEvents().get(s.bootEvents().size() - 1).id();
                applyHeld(lastStored);
            });
        } catch (RuntimeException e) {
            Platform.runLater(() -> {
                if (gen != generation) return;
                lastError.set("Cannot read from the server: " + e.getMessage());
                applyHeld(Long.MAX_VALUE);
            });
        }
    }

    private void setBootEvents(List<BootEvent> events) {
        int from = Math.max(0, events.size() - MAX_BOOT_EVENTS);
        bootEvents.setAll(events.subList(from, events.size()));
    }

    /** Everything the views show, read in one go off the FX thread. */
    record Snapshot(List<Client> clients, List<Volume> volumes, List<DiscoveredMachine> discovered, List<Job> jobs,
                    List<Lease> leases, ServerStatus status, List<BootEvent> bootEvents,
                    List<ClientActivity> clientActivity, List<VolumeActivity> volumeActivity, List<Asset> assets) {
        static Snapshot read(NetrootControl c) {
            List<BootEvent> events = new ArrayList<>();
            long after = 0;
            while (events.size() < 200_000) {
                List<BootEvent> page = c.events(after, 5_000);
                if (page.isEmpty()) break;
                events.addAll(page);
                after = page.get(page.size() - 1).id();
            }
            return new Snapshot(c.clients(), c.volumes(), c.discoveredMachines(), c.jobs(), c.leases(), c.status(),
                    events, c.clientActivity(), c.volumeActivity(), c.assets());
        }
    }

    private final class StreamListener implements ChangeListener {
        private final long gen;

        StreamListener(long gen) {
            this.gen = gen;
        }

        @Override
        public void onEvent(ChangeEvent event) {
            pending.add(new Pending(gen, event));
            if (drainScheduled.compareAndSet(false, true)) Platform.runLater(AppModel.this::drain);
        }

        @Override
        public void onError(Throwable error) {
            Platform.runLater(() -> {
                if (gen == generation) lastError.set("Lost the server's live changes: " + error.getMessage());
            });
        }
    }

    private record Pending(long gen, ChangeEvent event) {
    }

    /** FX thread: applies what the current attach's stream sent; a former stream's late changes are dropped. */
    private void drain() {
        drainScheduled.set(false);
        List<BootEvent> newBootEvents = new ArrayList<>();
        Pending p;
        while ((p = pending.poll()) != null) {
            if (p.gen() != generation) continue;
            ChangeEvent e = p.event();
            if (heldWhileLoading != null) {
                heldWhileLoading.add(e);
                continue;
            }
            BootEvent boot = apply(e);
            if (boot != null) newBootEvents.add(boot);
            for (Consumer<ChangeEvent> l : changeListeners) l.accept(e);
        }
        addBootEvents(newBootEvents);
    }

    private void addBootEvents(List<BootEvent> newBootEvents) {
        if (newBootEvents.isEmpty()) return;
        bootEvents.addAll(newBootEvents);
        int excess = bootEvents.size() - MAX_BOOT_EVENTS;
        if (excess > 0) bootEvents.remove(0, excess);
    }

    /** The changes that came while the snapshot was read, on top of it (boot events it has are skipped). */
    private void applyHeld(long lastStoredEventId) {
        List<ChangeEvent> held = heldWhileLoading;
        heldWhileLoading = null;
        if (held == null) return;
        List<BootEvent> newBootEvents = new ArrayList<>();
        for (ChangeEvent e : held) {
            BootEvent boot = apply(e);
            if (boot != null && boot.id() > lastStoredEventId) newBootEvents.add(boot);
            for (Consumer<ChangeEvent> l : changeListeners) l.accept(e);
        }
        addBootEvents(newBootEvents);
    }

    /** Applies one change to the lists; returns the boot event it carried, if any. */
    private BootEvent apply(ChangeEvent e) {
        switch (e.type()) {
            case BOOT -> {
                return e.payloadAs(BootEvent.class);
            }
            case CLIENT_ADDED, CLIENT_UPDATED -> upsert(clients, e.payloadAs(Client.class), Client::name);
            case CLIENT_REMOVED -> {
                clients.removeIf(c -> c.name().equals(e.subject()));
                // its activity goes with it: a new client of the same name starts with none, not the old state
                clientActivity.removeIf(a -> a.clientName().equals(e.subject()));
            }
            case VOLUME_CREATED, VOLUME_CHANGED -> upsert(volumes, e.payloadAs(Volume.class), Volume::name);
            case VOLUME_REMOVED -> volumes.removeIf(v -> v.name().equals(e.subject()));
            case ASSET_ADDED -> upsert(assets, e.payloadAs(Asset.class), Asset::name);
            case ASSET_REMOVED -> assets.removeIf(a -> a.name().equals(e.subject()));
            case DISCOVERED_SEEN -> {
                upsert(discovered, e.payloadAs(DiscoveredMachine.class), DiscoveredMachine::mac);
            }
            case DISCOVERED_FORGOTTEN -> discovered.removeIf(d -> d.mac().equals(normalizedOrSame(e.subject())));
            case JOB_PROGRESS, JOB_FINISHED -> upsert(jobs, e.payloadAs(Job.class), Job::id);
            case LEASE_GRANTED -> upsert(leases, e.payloadAs(Lease.class), Lease::mac);
            case LEASE_RELEASED -> leases.removeIf(l -> l.mac().equals(normalizedOrSame(e.subject())));
            case CLIENT_ACTIVITY -> upsert(clientActivity, e.payloadAs(ClientActivity.class), ClientActivity::clientName);
            case VOLUME_ACTIVITY -> upsert(volumeActivity, e.payloadAs(VolumeActivity.class), VolumeActivity::volumeName);
            case SERVICE_STARTED, SERVICE_STOPPED, SERVICE_FAILED, SERVICE_COUNTERS -> applyService(e);
            case RESET -> reload();
            case OVERFLOW -> lastError.set("The window fell behind the server's changes; reconnecting");
        }
        return null;
    }

    private void applyService(ChangeEvent e) {
        ServerStatus.ServiceState s = e.payloadAs(ServerStatus.ServiceState.class);
        ServerStatus old = status.get();
        if (s == null || old == null) return;
        List<ServerStatus.ServiceState> services = new ArrayList<>(old.services());
        boolean replaced = false;
        for (int i = 0; i < services.size(); i++) {
            if (services.get(i).name().equals(s.name())) {
                // counters come from a sampler that may have read the state just before a stop or start
                // whose own event came first: from it take only the counters, never running or addresses
                services.set(i, e.type() == ChangeType.SERVICE_COUNTERS ? withCounters(services.get(i), s) : s);
                replaced = true;
            }
        }
        if (!replaced) services.add(s);
        status.set(new ServerStatus(old.running(), services, old.droppedInput(), old.warnings()));
    }

    private static ServerStatus.ServiceState withCounters(ServerStatus.ServiceState state,
                                                          ServerStatus.ServiceState counters) {
        return new ServerStatus.ServiceState(state.name(), state.running(), state.detail(), state.addresses(),
                state.ports(), state.transport(), state.mode(), state.interfaces(), counters.requests(),
                counters.droppedInput());
    }

    private static String normalizedOrSame(String mac) {
        try {
            return Client.normalizeMac(mac);
        } catch (RuntimeException e) {
            return mac;
        }
    }

    static <T, K> void upsert(ObservableList<T> list, T item, Function<T, K> key) {
        if (item == null) return;
        K k = key.apply(item);
        for (int i = 0; i < list.size(); i++) {
            if (key.apply(list.get(i)).equals(k)) {
                list.set(i, item);
                return;
            }
        }
        list.add(item);
    }

    private void closeSubscription() {
        closeQuietly(subscription);
        subscription = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a stream that already ended
        }
    }

    public void close() {
        generation++;
        closeSubscription();
    }
}
