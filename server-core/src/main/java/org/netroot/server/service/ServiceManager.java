package org.netroot.server.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.netroot.server.api.ServerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and stops the protocol services by name; the app's service switches and the tray use it. */
public final class ServiceManager {
    private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);
    private final Map<String, ManagedService> services = new LinkedHashMap<>();
    private final Map<String, String> lastError = new LinkedHashMap<>();
    private volatile Listener listener = (name, running, error) -> { };

    /** Told when a service starts, stops or fails to start (the live stream); must return at once. */
    @FunctionalInterface
    public interface Listener {
        void changed(String service, boolean running, String error);
    }

    public void listen(Listener l) {
        this.listener = l;
    }

    public synchronized void add(ManagedService s) {
        services.put(key(s.name()), s);
    }

    /** Starts every service; returns the failures (a service that fails does not stop the others). */
    public synchronized List<String> startAll() {
        List<String> failures = new ArrayList<>();
        for (ManagedService s : services.values()) {
            try {
                s.start();
                lastError.remove(key(s.name()));
                listener.changed(s.name(), true, null);
            } catch (Exception e) {
                lastError.put(key(s.name()), e.getMessage());
                listener.changed(s.name(), false, e.getMessage());
                failures.add(e.getMessage());
                log.error("{} did not start: {}", s.name(), e.getMessage());
            }
        }
        return failures;
    }

    public synchronized void stopAll() {
        List<ManagedService> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        for (ManagedService s : reversed) {
            try {
                s.stop();
                listener.changed(s.name(), false, null);
            } catch (RuntimeException e) {
                log.warn("{} did not stop cleanly", s.name(), e);
            }
        }
    }

    public synchronized void start(String name) {
        ManagedService s = require(name);
        try {
            s.start();
            lastError.remove(key(name));
            listener.changed(s.name(), true, null);
        } catch (Exception e) {
            lastError.put(key(name), e.getMessage());
            listener.changed(s.name(), false, e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public synchronized void stop(String name) {
        ManagedService s = require(name);
        s.stop();
        listener.changed(s.name(), false, null);
    }

    public synchronized List<ServerStatus.ServiceState> states() {
        List<ServerStatus.ServiceState> out = new ArrayList<>();
        for (ManagedService s : services.values()) {
            out.add(new ServerStatus.ServiceState(s.name(), s.isRunning(), lastError.get(key(s.name()))));
        }
        return out;
    }

    public synchronized List<ManagedService> all() {
        return List.copyOf(services.values());
    }

    private ManagedService require(String name) {
        ManagedService s = services.get(key(name));
        if (s == null) throw new IllegalArgumentException("no service named " + name + "; known: " + services.keySet());
        return s;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
