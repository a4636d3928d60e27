package org.netroot.server.events;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.DiscoveredMachine;
import org.netroot.server.store.DiscoveredMachineRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers machines that ask to network-boot with a MAC no client has. {@link #seen} only
 * queues; one writer thread asks whether the MAC is a client's, stores the sighting and
 * announces it. A machine retrying every second is written at most once per {@link #REFRESH_MS}.
 */
public final class DiscoveredMachines implements DiscoverySink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiscoveredMachines.class);
    static final long REFRESH_MS = TimeUnit.SECONDS.toMillis(10);
    /** A flood of made-up MACs must not grow memory or the database without end. */
    static final int KEEP = 1_000;
    private static final Sighting STOP = new Sighting(null, 0, null, null, null);

    private record Sighting(String mac, int architecture, String vendorClass, String interfaceName, Instant at) {
    }

    private final DiscoveredMachineRepository repository;
    private final Predicate<String> isClientMac;
    private final ChangePublisher changes;
    private final BlockingQueue<Sighting> queue = new LinkedBlockingQueue<>(10_000);
    private final ConcurrentHashMap<String, Long> lastWritten = new ConcurrentHashMap<>();
    private final Thread writer;

    public DiscoveredMachines(DiscoveredMachineRepository repository, Predicate<String> isClientMac,
                              ChangePublisher changes) {
        this.repository = repository;
        this.isClientMac = isClientMac;
        this.changes = changes;
        this.writer = Thread.ofPlatform().daemon().name("discovered-machines").start(this::drain);
    }

    @Override
    public void seen(String mac, int architecture, String vendorClass, String interfaceName) {
        if (mac == null) return;
        long now = System.currentTimeMillis();
        Long last = lastWritten.get(mac);
        if (last != null && now - last < REFRESH_MS) return;
        if (lastWritten.size() >= KEEP * 10) lastWritten.clear();
        lastWritten.put(mac, now);
        if (!queue.offer(new Sighting(mac, architecture, vendorClass, interfaceName, Instant.now()))) {
            lastWritten.remove(mac);
        }
    }

    /** A client now has this MAC, or the user dismissed it: forget it (and let a new sighting through). */
    public boolean forget(String mac) {
        lastWritten.remove(mac);
        boolean removed = repository.forget(mac);
        if (removed) changes.publish(ChangeType.DISCOVERED_FORGOTTEN, mac, null);
        return removed;
    }

    private void drain() {
        while (true) {
            Sighting s;
            try {
                s = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (s == STOP) return;
            try {
                if (isClientMac.test(s.mac())) continue;
                DiscoveredMachine stored = repository.seen(new DiscoveredMachine(s.mac(), s.architecture(),
                        s.vendorClass(), s.interfaceName(), s.at(), s.at()));
                if (stored.firstSeen().equals(stored.lastSeen())) repository.keepNewest(KEEP);
                changes.publish(ChangeType.DISCOVERED_SEEN, stored.mac(), stored);
            } catch (RuntimeException e) {
                log.warn("could not remember discovered machine {}: {}", s.mac(), e.getMessage());
            }
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        queue.offer(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
