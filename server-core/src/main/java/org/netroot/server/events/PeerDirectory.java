package org.netroot.server.events;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * address its MAC was seen at within the last {@link #RECENT} ({@link #recentAddressOf}); NBD asks
 * how long ago Netroot's own lease was seen ({@link #addressSeenWithin}) or, in proxy mode, whether
 * the client's own TCP traffic vouched for the sighting ({@link #vouchedAddressOf}). With a
 * store, what is learned is written (on the store writer, never on the caller's thread) and read
 * back at start, so a restart forgets nothing.
 */
public final class PeerDirectory {
    private static final Logger log = LoggerFactory.getLogger(PeerDirectory.class);
    /** A flood of spoofed MACs must not grow memory or the table without end: the least recently seen go. */
    static final int MAX_PEERS = 65_536;
    /**
     * How long a sighting vouches for an address. A PXE boot does its DHCP seconds before it fetches
     * its script, so the gate needs "this MAC did DHCP from there just now", not "its lease is still
     * valid": a lease (or the router's, which proxy mode never sees renewed: renewals go unicast to
     * the router) can last days, and the address may have gone to another machine meanwhile. An hour
     * leaves room for a slow firmware, a boot menu and iPXE's retries.
     */
    public static final Duration RECENT = Duration.ofHours(1);
    /** A MAC seen again at the same address is written at most this often: no write per packet. */
    static final Duration REWRITE_EVERY = Duration.ofMinutes(1);

    /**
     * {@code vouchedAt}: when the MAC's own traffic last came from this address over TCP (its script
     * fetched from it right after the DHCP sighting, or its volume used over NBD from it); null when
     * not since DHCP saw it there. A DHCP sighting alone is a UDP broadcast anyone can forge.
     */
    private record Sighting(InetAddress address, Instant seenAt, Instant storedAt, Instant vouchedAt) {
    }

    private final Map<InetAddress, String> macByAddress = new HashMap<>();
    /** Least recently seen first (every sighting moves the MAC to the end). */
    private final LinkedHashMap<String, Sighting> byMac = new LinkedHashMap<>();
    private final PeerAddressRepository store;
    private final StoreWriter writer;
    private final Clock clock;
    private final int maxPeers;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - 120_000_000_000L);
    private volatile NeighbourTable neighbours = NeighbourTable.NONE;

    /** In memory only (tests, tools). */
    public PeerDirectory() {
        this(null, null, Clock.systemUTC(), MAX_PEERS);
    }

    /** In memory only, on {@code clock} (tests of how long a sighting counts). */
    public PeerDirectory(Clock clock) {
        this(null, null, clock, MAX_PEERS);
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
            for (PeerAddress p : store.all()) { // oldest first, as they were seen
                try {
                    remember(InetAddress.getByName(p.ip()), p.mac(), p.seenAt(), p.seenAt(), p.vouchedAt());
                } catch (UnknownHostException e) {
                    log.warn("peer address table: {} of {} is not an address, ignored", p.ip(), p.mac());
                }
            }
        }
    }

    /** DHCP saw {@code mac} use {@code address} just now. */
    public void learn(InetAddress address, String mac) {
        if (!(address instanceof Inet4Address) || mac == null || address.isAnyLocalAddress()) return;
        Instant now = clock.instant();
        String forgotten;
        Instant vouched;
        synchronized (this) {
            Sighting before = byMac.get(mac);
            boolean same = before != null && before.address().equals(address);
            boolean write = !same || before.storedAt() == null
                    || !before.storedAt().plus(REWRITE_EVERY).isAfter(now);
            // the same address keeps what vouched for it; a new one starts unvouched
            vouched = same ? before.vouchedAt() : null;
            forgotten = remember(address, mac, now, write ? now : before.storedAt(), vouched);
            if (!write) return;
            // queued under the lock, as vouch() queues its row: the writer keeps the order they were decided in
            store(new PeerAddress(mac, address.getHostAddress(), now, vouched), forgotten);
        }
    }

    /** Writes {@code seen} (and forgets {@code forgotten}, when not null) on the store writer. */
    private void store(PeerAddress seen, String forgotten) {
        if (store == null) return;
        String mac = seen.mac();
        writer.submit(() -> {
            store.save(seen);
            if (forgotten != null) store.forget(forgotten);
        }).exceptionally(e -> {
            long nanos = System.nanoTime();
            long last = lastWarning.get();
            // once a minute at most: a flood must not flood the log too
            if (nanos - last > 60_000_000_000L && lastWarning.compareAndSet(last, nanos)) {
                log.warn("could not store that {} is at {} (kept in memory): {}", mac, seen.ip(), e.toString());
            }
            return null;
        });
    }

    /** Puts the sighting in memory, last; returns the MAC dropped to stay within the limit, or null. */
    private synchronized String remember(InetAddress address, String mac, Instant seenAt, Instant storedAt,
                                         Instant vouchedAt) {
        Sighting before = byMac.remove(mac);
        if (before != null) macByAddress.remove(before.address());
        String previousOwner = macByAddress.put(address, mac);
        if (previousOwner != null && !previousOwner.equals(mac)) byMac.remove(previousOwner);
        byMac.put(mac, new Sighting(address, seenAt, storedAt, vouchedAt));
        if (byMac.size() <= maxPeers) return null;
        Iterator<Map.Entry<String, Sighting>> eldest = byMac.entrySet().iterator();
        Map.Entry<String, Sighting> e = eldest.next();
        eldest.remove();
        macByAddress.remove(e.getValue().address());
        return e.getKey();
    }

    public synchronized Optional<String> macOf(InetAddress address) {
        return address == null ? Optional.empty() : Optional.ofNullable(macByAddress.get(address));
    }

    /** The address DHCP last gave or saw this MAC at, however long ago. */
    public synchronized Optional<InetAddress> addressOf(String mac) {
        return mac == null ? Optional.empty() : Optional.ofNullable(byMac.get(mac)).map(Sighting::address);
    }

    /** When DHCP last saw this MAC. */
    public synchronized Optional<Instant> lastSeen(String mac) {
        return mac == null ? Optional.empty() : Optional.ofNullable(byMac.get(mac)).map(Sighting::seenAt);
    }

    /** The address DHCP saw this MAC at within the last {@link #RECENT}: what may receive its secrets. */
    public synchronized Optional<InetAddress> recentAddressOf(String mac) {
        Sighting s = mac == null ? null : byMac.get(mac);
        if (s == null || s.seenAt().plus(RECENT).isBefore(clock.instant())) return Optional.empty();
        return Optional.of(s.address());
    }

    /** The address DHCP saw this MAC at within {@code within} (a lease's time: how long Netroot's own lease vouches). */
    public synchronized Optional<InetAddress> addressSeenWithin(String mac, Duration within) {
        Sighting s = mac == null ? null : byMac.get(mac);
        if (s == null || s.seenAt().plus(within).isBefore(clock.instant())) return Optional.empty();
        return Optional.of(s.address());
    }

    /**
     * The MAC's script was fetched from {@code address} (a TCP connection, so from a machine really
     * there) while DHCP's recent sighting put the MAC there too: the sighting is now vouched for.
     * Does nothing when DHCP saw the MAC elsewhere, long ago or never. The caller has asked the link
     * layer first ({@link #contradicted}): another machine's frames from there vouch for nothing.
     */
    public synchronized void scriptFetched(InetAddress address, String mac) {
        Sighting s = mac == null ? null : byMac.get(mac);
        if (s == null || !s.address().equals(address) || s.seenAt().plus(RECENT).isBefore(clock.instant())) return;
        vouch(mac, s);
    }

    /**
     * The MAC's volume was used from {@code address}, which {@link #vouchedAddressOf} allowed: the
     * vouching is renewed, so a client using its disk for days may reconnect after a network blip.
     */
    public synchronized void stillUsedFrom(InetAddress address, String mac) {
        Sighting s = mac == null ? null : byMac.get(mac);
        if (s == null || !s.address().equals(address) || s.vouchedAt() == null) return;
        vouch(mac, s);
    }

    /**
     * The MAC's volume was used from {@code address} under a lease Netroot's own DHCP gave (full mode):
     * that use vouches for the sighting, so an nbdroot kernel, which never renews its lease, keeps its
     * disk while it uses it and may reconnect after a blip or a restart. Only the caller knows the lease
     * was Netroot's: the NBD address rule.
     */
    public synchronized void leaseUsedFrom(InetAddress address, String mac) {
        Sighting s = mac == null ? null : byMac.get(mac);
        if (s == null || !s.address().equals(address)) return;
        vouch(mac, s);
    }

    /** Kept across restarts: a restart drops NBD connections, and their clients reconnect to it. */
    private void vouch(String mac, Sighting s) {
        Instant now = clock.instant();
        byMac.put(mac, new Sighting(s.address(), s.seenAt(), s.seenAt(), now));
        store(new PeerAddress(mac, s.address().getHostAddress(), s.seenAt(), now), null);
    }

    /** Where the MAC's sighting was vouched for (see {@link #scriptFetched}) within {@code within}. */
    public synchronized Optional<InetAddress> vouchedAddressOf(String mac, Duration within) {
        Sighting s = mac == null ? null : byMac.get(mac);
        if (s == null || s.vouchedAt() == null || s.vouchedAt().plus(within).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(s.address());
    }

    /** Asks {@code table} whether a TCP peer really is the MAC it claims (see {@link #contradicted}). */
    public PeerDirectory checkingLinksWith(NeighbourTable table) {
        this.neighbours = table;
        return this;
    }

    /**
     * Whether the link layer says a machine other than {@code mac} sits at {@code address}: the
     * kernel's neighbour entry for a connected peer names only other MACs. A forged DHCP claim (another
     * machine's MAC, the forger's address) is caught here unless the forger spoofs its MAC on the wire
     * too. No entry (another system, a peer behind a router, loopback) contradicts nothing.
     */
    public boolean contradicted(InetAddress address, String mac) {
        return linkShowsInstead(address, mac).isPresent();
    }

    /** The MACs the link layer shows at {@code address} when none of them is {@code mac} (see {@link #contradicted}). */
    public Optional<String> linkShowsInstead(InetAddress address, String mac) {
        if (address == null || mac == null) return Optional.empty();
        java.util.Set<String> there = neighbours.macsAt(address);
        if (there.isEmpty() || there.contains(mac.toLowerCase(java.util.Locale.ROOT))) return Optional.empty();
        return Optional.of(String.join(", ", there));
    }

    /** True when DHCP has seen this MAC at some address. */
    public synchronized boolean knowsMac(String mac) {
        return mac != null && byMac.containsKey(mac);
    }

    /** The MAC for an address, or null: the form event records take. */
    public String macOrNull(InetAddress address) {
        return macOf(address).orElse(null);
    }
}
