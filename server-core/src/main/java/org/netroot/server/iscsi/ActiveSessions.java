package org.netroot.server.iscsi;

import java.util.HashMap;
import java.util.Map;

/**
 * The sessions alive, by TSIH, for logins that name an existing session (RFC 7143 §6.3.1). The
 * one-writer rule per volume lives in {@code storage.OpenVolumes}, shared with other protocols.
 */
public final class ActiveSessions {
    /** TSIH -> the connection of that session. */
    private final Map<Integer, Object> byTsih = new HashMap<>();
    /** Volume -> the session of this service that holds it (the newest, when one replaced another). */
    private final Map<String, Object> byVolume = new HashMap<>();

    public synchronized void holds(String volumeName, Object connection) {
        byVolume.put(volumeName, connection);
    }

    public synchronized void released(String volumeName, Object connection) {
        byVolume.remove(volumeName, connection);
    }

    /** Normal sessions of this service holding a volume. */
    public synchronized int count() {
        return byVolume.size();
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
