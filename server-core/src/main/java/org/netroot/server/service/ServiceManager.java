package org.netroot.server.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.ServerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and stops the protocol services by name; the app's service switches and the tray use it. */
public final class ServiceManager {
    private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);
    private final Map<String, ManagedService> services = new LinkedHashMap<>();
    private final Map<String, String> lastError = new LinkedHashMap<>();
    private final InputErrors errors;
    private volatile Listener listener = (type, state) -> { };

    /**
     * Told when a service starts, stops or fails to start, and (from {@link ServiceCounters}) when its
     * counters moved: SERVICE_STARTED, SERVICE_STOPPED, SERVICE_FAILED or SERVICE_COUNTERS with the
     * service's whole state. Must return at once.
     */
    @FunctionalInterface
    public interface Listener {
        void changed(ChangeType type, ServerStatus.ServiceState state);
    }

    /** Without dropped-input counts (tests). */
    public ServiceManager() {
        this(new InputErrors());
    }

    /** @param errors where the services count dropped input: each state carries its service's count */
    public ServiceManager(InputErrors errors) {
        this.errors = errors;
    }

    public void listen(Listener l) {
        this.listener = l;
    }

    Listener listener() {
        return listener;
    }

    public synchronized void add(ManagedService s) {
        services.put(key(s.name()), s);
    }

    /** Starts every service; returns the failures (a service that fails does not stop the others). */
    public synchronized List<String> startAll() {
        List<String> failures = new ArrayList<>();
        for (ManagedService s : services.values()) {
            try {
                start(s);
            } catch (Exception e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    public synchronized void stopAll() {
        List<ManagedService> reversed = new ArrayList<>(services.values());
        Collections.reverse(reversed);
        for (ManagedService s : reversed) {
            try {
                stop(s);
            } catch (RuntimeException e) {
                log.warn("{} did not stop cleanly", s.name(), e);
            }
        }
    }

    public synchronized void start(String name) {
        ManagedService s = require(name); // an unknown name is the caller's mistake, not a failed start
        try {
            start(s);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public synchronized void stop(String name) {
        stop(require(name));
    }

    private void start(ManagedService s) throws Exception {
        try {
            s.start();
            lastError.remove(key(s.name()));
            listener.changed(ChangeType.SERVICE_STARTED, state(s));
        } catch (Exception e) {
            lastError.put(key(s.name()), e.getMessage());
            listener.changed(ChangeType.SERVICE_FAILED, state(s));
            log.error("{} did not start: {}", s.name(), e.getMessage());
            throw e;
        }
    }

    private void stop(ManagedService s) {
        s.stop();
        lastError.remove(key(s.name())); // stopped on purpose: an old start failure is no longer news
        listener.changed(ChangeType.SERVICE_STOPPED, state(s));
    }

    public synchronized List<ServerStatus.ServiceState> states() {
        List<ServerStatus.ServiceState> out = new ArrayList<>();
        for (ManagedService s : services.values()) out.add(state(s));
        return out;
    }

    private ServerStatus.ServiceState state(ManagedService s) {
        ServiceFacts f = s.facts();
        return new ServerStatus.ServiceState(s.name(), s.isRunning(), lastError.get(key(s.name())), f.addresses(),
                f.ports(), f.transport(), f.mode(), f.interfaces(), f.requests(), errors.count(s.name()));
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
