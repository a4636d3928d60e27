package org.netroot.server.store;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.netroot.server.api.Client;

/**
 * Every client, in memory, by MAC, by name and by target IQN: what DHCP answers, script requests
 * and iSCSI logins read, so no event loop waits on the database. Loaded when the database opens;
 * {@link ClientRepository} keeps it current, after each write that succeeded, through
 * {@link #put} and {@link #remove}. Those are package-private: the protocols only read.
 * Readers see one consistent snapshot without locking; writes (a user's edits) are rare.
 */
public final class ClientDirectory {
    private record Snapshot(Map<String, Client> byName, Map<String, Client> byMac, Map<String, Client> byTarget,
            List<Client> sorted) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), List.of());

        static Snapshot of(Collection<Client> clients) {
            Map<String, Client> byName = new HashMap<>();
            Map<String, Client> byMac = new HashMap<>();
            Map<String, Client> byTarget = new HashMap<>();
            for (Client c : clients) {
                byName.put(c.name(), c);
                byMac.put(c.mac(), c);
                byTarget.put(iqnKey(c.targetIqn()), c);
            }
            return new Snapshot(Map.copyOf(byName), Map.copyOf(byMac), Map.copyOf(byTarget),
                    byName.values().stream().sorted(Comparator.comparing(Client::name)).toList());
        }
    }

    private volatile Snapshot snapshot = Snapshot.EMPTY;

    ClientDirectory() {
    }

    /** A directory of these clients, not tied to a database (tests of protocol code). */
    public static ClientDirectory of(Collection<Client> clients) {
        ClientDirectory d = new ClientDirectory();
        d.load(clients);
        return d;
    }

    public Optional<Client> byMac(String mac) {
        if (mac == null) return Optional.empty();
        try {
            return Optional.ofNullable(snapshot.byMac().get(Client.normalizeMac(mac)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public Optional<Client> byName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(snapshot.byName().get(name));
    }

    /** IQNs compare case-insensitively (RFC 3722 stringprep lower-cases them). */
    public Optional<Client> byTargetIqn(String targetIqn) {
        return targetIqn == null ? Optional.empty() : Optional.ofNullable(snapshot.byTarget().get(iqnKey(targetIqn)));
    }

    /** Every client, by name. */
    public List<Client> all() {
        return snapshot.sorted();
    }

    /** The client as stored now: added, or replacing the one of that name (an edit). Call after the write. */
    synchronized void put(Client client) {
        Map<String, Client> byName = new HashMap<>(snapshot.byName());
        byName.put(client.name(), client);
        snapshot = Snapshot.of(byName.values());
    }

    /** The client of that name is gone. Call after the delete. */
    synchronized void remove(String name) {
        Map<String, Client> byName = new HashMap<>(snapshot.byName());
        if (byName.remove(name) != null) snapshot = Snapshot.of(byName.values());
    }

    synchronized void load(Collection<Client> clients) {
        snapshot = Snapshot.of(clients);
    }

    private static String iqnKey(String iqn) {
        return iqn.toLowerCase(Locale.ROOT);
    }
}
