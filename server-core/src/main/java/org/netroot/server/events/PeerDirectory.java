package org.netroot.server.events;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.netroot.server.store.PeerAddressRepository;
import org.netroot.server.store.PeerAddressRepository.PeerAddress;
import org.netroot.server.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which MAC sits behind which IPv4 address, learned from DHCP (leases we give, addresses clients
 * request from the router in proxy mode). TFTP and iSCSI only see addresses; this lets their
 * events land on the right client's timeline, and HTTP hands a CHAP client's script only to the
 * address its MAC was last seen at. With a store, what is learned is written (on the store
 * writer, never on the caller's thread) and read back at start, so a restart forgets nothing.
 */
public final class PeerDirectory {
    private static final Logger log = LoggerFactory.getLogger(PeerDirectory.class);
    /** A flood of spoofed MACs must not grow memory or the table without end: the least recently seen go. */
    static final int MAX_PEERS = 65_536;

    private final Map<InetAddress, String> macByAddress = new HashMap<>();
    /** Least recently learned first. */
    private final LinkedHashMap<String, InetAddress> addressByMac = new LinkedHashMap<>();
    private final PeerAddressRepository store;
    private final StoreWriter writer;
    private final Clock clock;
    private final int maxPeers;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - 120_000_000_000L);

    /** In memory only (tests, tools). */
    public PeerDirectory() {
        this(null, null, Clock.systemUTC(), MAX_PEERS);
    }

    /** Loads what the store knows; what is learned from now on is written through {@code writer}. */
    public PeerDirectory(PeerAddressRepository store, StoreWriter writer) {
        this(store, writer, Clock.systemUTC(), MAX_PEERS);
    }

    PeerDirectory(PeerAddressRepository store, StoreWriter writer, Clock clock, int maxPeers) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.maxPeers = maxPeers;
        if (store != null) {
            for (PeerAddress p : store.all()) {
                try {
                    remember(InetAddress.getByName(p.ip()), p.mac());
                } catch (UnknownHostException e) {
                    log.warn("peer address table: {} of {} is not an address, ignored", p.ip(), p.mac());
                }
            }
        }
    }

    public void learn(InetAddress address, String mac) {
        if (!(address instanceof Inet4Address) || mac == null || address.isAnyLocalAddress()) return;
        String forgotten;
        synchronized (this) {
            if (address.equals(addressByMac.get(mac))) return; // nothing new: no write per packet
            forgotten = remember(address, mac);
        }
        if (store == null) return;
        PeerAddress seen = new PeerAddress(mac, address.getHostAddress(), clock.instant());
        writer.submit(() -> {
            store.save(seen);
            if (forgotten != null) store.forget(forgotten);
        }).exceptionally(e -> {
            long now = System.nanoTime();
            long last = lastWarning.get();
            // once a minute at most: a flood must not flood the log too
            if (now - last > 60_000_000_000L && lastWarning.compareAndSet(last, now)) {
                log.warn("could not store that {} is at {} (kept in memory): {}", mac, seen.ip(), e.toString());
            }
            return null;
        });
    }

    /** Puts the pair in memory; returns the MAC dropped to stay within the limit, or null. */
    private synchronized String remember(InetAddress address, String mac) {
        InetAddress before = addressByMac.remove(mac);
        if (before != null) macByAddress.remove(before);
        String previousOwner = macByAddress.put(address, mac);
        if (previousOwner != null && !previousOwner.equals(mac)) addressByMac.remove(previousOwner);
        addressByMac.put(mac, address);
        if (addressByMac.size() <= maxPeers) return null;
        Iterator<Map.Entry<String, InetAddress>> eldest = addressByMac.entrySet().iterator();
        Map.Entry<String, InetAddress> e = eldest.next();
        eldest.remove();
        macByAddress.remove(e.getValue());
        return e.getKey();
    }

    public synchronized Optional<String> macOf(InetAddress address) {
        return address == null ? Optional.empty() : Optional.ofNullable(macByAddress.get(address));
    }

    /** The address DHCP last gave or saw this MAC at. */
    public synchronized Optional<InetAddress> addressOf(String mac) {
        return mac == null ? Optional.empty() : Optional.ofNullable(addressByMac.get(mac));
    }

    /** True when DHCP has seen this MAC at some address. */
    public synchronized boolean knowsMac(String mac) {
        return mac != null && addressByMac.containsKey(mac);
    }

    /** The MAC for an address, or null: the form event records take. */
    public String macOrNull(InetAddress address) {
        return macOf(address).orElse(null);
    }
}
