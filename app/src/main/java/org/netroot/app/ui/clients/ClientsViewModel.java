package org.netroot.app.ui.clients;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.netroot.app.model.AppModel;
import org.netroot.app.ui.common.Background;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.DiscoveredMachine;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

/**
 * The Clients view's state: one {@link ClientCard} per client (joined with its activity, volume and
 * volume I/O) and one {@link DiscoveredCard} per discovered machine, kept current from the
 * {@link AppModel}'s lists; and the actions, each one a call off the FX thread.
 * A card list changes only when a card changed, and the view redraws only the cards that differ.
 */
public final class ClientsViewModel {
    private final AppModel model;
    private final ObservableList<ClientCard> clients = FXCollections.observableArrayList();
    private final ObservableList<DiscoveredCard> discovered = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final BooleanBinding empty = Bindings.isEmpty(clients).and(Bindings.isEmpty(discovered));

    public ClientsViewModel(AppModel model) {
        this.model = model;
        ListChangeListener<Object> refresh = change -> refreshClients();
        model.clients().addListener(refresh);
        model.clientActivity().addListener(refresh);
        model.volumes().addListener(refresh);
        model.volumeActivity().addListener(refresh);
        model.discovered().addListener((ListChangeListener<DiscoveredMachine>) change -> refreshDiscovered());
        refreshClients();
        refreshDiscovered();
    }

    /** Clients by name. */
    public ObservableList<ClientCard> clients() {
        return clients;
    }

    /** Discovered machines, most recently seen first. */
    public ObservableList<DiscoveredCard> discovered() {
        return discovered;
    }

    /** True when there is neither a client nor a discovered machine to show. */
    public BooleanBinding empty() {
        return empty;
    }

    /** The last failed action in words (null when the last one worked). */
    public ReadOnlyStringProperty error() {
        return error.getReadOnlyProperty();
    }

    public List<String> volumeNames() {
        return model.volumes().stream().map(Volume::name).sorted().toList();
    }

    /**
     * Volumes a client may be given: shared ones, and those no other client uses ({@code keep}'s own
     * stays in).
     */
    public List<String> freeVolumes(String keep) {
        List<String> used = model.clients().stream().map(Client::volumeName).filter(v -> v != null && !v.equals(keep))
                .toList();
        List<String> shared = model.volumes().stream().filter(Volume::shared).map(Volume::name).toList();
        return volumeNames().stream().filter(v -> !used.contains(v) || shared.contains(v)).toList();
    }

    /** The asset library as it is now, by name: what a boot mode's choosers offer. */
    public List<org.netroot.server.api.Asset> assets() {
        return model.assets().stream().sorted(java.util.Comparator.comparing(org.netroot.server.api.Asset::name)).toList();
    }

    public List<String> clientNames(String except) {
        return model.clients().stream().map(Client::name).filter(n -> !n.equals(except)).toList();
    }

    public List<String> clientMacs(String exceptName) {
        return model.clients().stream().filter(c -> !c.name().equals(exceptName)).map(Client::mac).toList();
    }

    private void refreshClients() {
        Map<String, ClientActivity> activity = byKey(model.clientActivity(), ClientActivity::clientName);
        Map<String, Volume> volumes = byKey(model.volumes(), Volume::name);
        Map<String, VolumeActivity> io = byKey(model.volumeActivity(), VolumeActivity::volumeName);
        List<ClientCard> cards = model.clients().stream().sorted(Comparator.comparing(Client::name))
                .map(c -> new ClientCard(c, activity.get(c.name()), c.volumeName() == null ? null
                        : volumes.get(c.volumeName()), c.volumeName() == null ? null : busy(io.get(c.volumeName()))))
                .toList();
        replaceChanged(clients, cards);
    }

    private void refreshDiscovered() {
        List<DiscoveredCard> cards = model.discovered().stream()
                .sorted(Comparator.comparing(DiscoveredMachine::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(DiscoveredCard::new).toList();
        replaceChanged(discovered, cards);
    }

    /** No I/O over the last second reads as idle. */
    private static VolumeActivity busy(VolumeActivity a) {
        return a == null || (a.readBytesPerSecond() == 0 && a.writeBytesPerSecond() == 0) ? null : a;
    }

    private static <T, K> Map<K, T> byKey(List<T> list, java.util.function.Function<T, K> key) {
        Map<K, T> m = new HashMap<>();
        for (T t : list) m.put(key.apply(t), t);
        return m;
    }

    /**
     * One list change when anything changed, none otherwise: the view lays its cards out once per
     * change (each card node redraws only when its own card differs), so 200 cards changed by a reload
     * cost one layout, not 200.
     */
    static <T> void replaceChanged(ObservableList<T> list, List<T> next) {
        if (!list.equals(next)) list.setAll(next);
    }

    // ---- actions: each runs off the FX thread; done/failed are called on it ----

    /**
     * Adds the client the form describes, first creating its blank volume when it asks for one (removed
     * again when the client cannot be added, so trying again works). A MAC still listed as discovered
     * afterwards is forgotten.
     */
    public void add(ClientForm form, Consumer<Client> done, Consumer<String> failed) {
        Client client = form.toClient(null);
        long newVolume = form.newVolumeBytes();
        run(c -> {
            if (newVolume > 0) c.createVolume(client.volumeName(), newVolume);
            Client added;
            try {
                added = c.addClient(client);
            } catch (RuntimeException e) {
                if (newVolume > 0) removeQuietly(c, client.volumeName());
                throw e;
            }
            if (c.discoveredMachines().stream().anyMatch(d -> d.mac().equals(added.mac()))) {
                c.forgetDiscovered(added.mac());
            }
            return added;
        }, done, failed);
    }

    public void update(Client original, ClientForm form, Consumer<Client> done, Consumer<String> failed) {
        Client edited = form.toClient(original);
        run(c -> c.updateClient(original.name(), edited), done, failed);
    }

    /** Removes the client; its volume stays. */
    public void remove(String name, Consumer<String> failed) {
        run(c -> {
            c.removeClient(name);
            return name;
        }, n -> { }, failed);
    }

    public void forget(String mac) {
        run(c -> {
            c.forgetDiscovered(mac);
            return mac;
        }, m -> { }, words -> { });
    }

    private <T> void run(java.util.function.Function<NetrootControl, T> call, Consumer<T> done, Consumer<String> failed) {
        NetrootControl c = model.control();
        if (c == null) {
            failed.accept("Not attached to a data folder yet");
            return;
        }
        Background.run(model.io(), () -> call.apply(c), result -> {
            error.set(null);
            done.accept(result);
        }, words -> {
            error.set(words);
            failed.accept(words);
        });
    }

    private static void removeQuietly(NetrootControl c, String volume) {
        try {
            c.removeVolume(volume);
        } catch (RuntimeException ignored) {
            // the user sees the client's failure; a leftover blank volume is visible in Volumes
        }
    }
}
