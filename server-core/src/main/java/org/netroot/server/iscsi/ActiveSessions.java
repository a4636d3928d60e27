package org.netroot.server.iscsi;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sessions alive, by TSIH, for logins that name an existing session (RFC 7143 §6.3.1). The
 * one-writer rule per volume lives in {@code storage.OpenVolumes}, shared with other protocols.
 */
public final class ActiveSessions {
    /** TSIH -> the connection of that session. */
    private final Map<Integer, Object> byTsih = new HashMap<>();
    /** Volume -> the sessions of this service that hold it (several on a shared volume). */
    private final Map<String, Set<Object>> byVolume = new HashMap<>();

    public synchronized void holds(String volumeName, Object connection) {
        byVolume.computeIfAbsent(volumeName, v -> new HashSet<>()).add(connection);
    }

    public synchronized void released(String volumeName, Object connection) {
        Set<Object> holders = byVolume.get(volumeName);
        if (holders != null && holders.remove(connection) && holders.isEmpty()) byVolume.remove(volumeName);
    }

    /** The sessions of this service holding {@code volumeName} now. */
    public synchronized List<Object> holders(String volumeName) {
        Set<Object> holders = byVolume.get(volumeName);
        return holders == null ? List.of() : List.copyOf(holders);
    }

    /** Normal sessions of this service holding a volume. */
    public synchronized int count() {
        int n = 0;
        for (Set<Object> holders : byVolume.values()) n += holders.size();
        return n;
    }

    /** Marks a session identifying handle as in use by {@code connection} until {@link #forget}. */
    public synchronized void register(int tsih, Object connection) {
        byTsih.put(tsih, connection);
    }

    public synchronized void forget(int tsih, Object connection) {
        byTsih.remove(tsih, connection);
    }

    public synchronized boolean exists(int tsih) {
        return byTsih.containsKey(tsih);
    }
}
