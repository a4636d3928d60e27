package org.netroot.server.dhcp;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.netroot.server.api.Client;
import org.netroot.server.api.Lease;
import org.netroot.server.store.ClientDirectory;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full-mode addresses: a configured range, per-MAC reservations ({@link Client#reservedIp()}, which
 * win) and leases kept in H2 so they survive a restart. Decisions are made in memory (the leases
 * read once at start, reservations from the {@link ClientDirectory}); lease writes go to the
 * {@link StoreWriter} and {@link #commit} hands back the write for the ACK to wait on. Offers are
 * held in memory for a minute so two clients discovering at once are not offered the same
 * address (RFC 2131 §4.3.1).
 */
public final class AddressPool {
    private static final Logger log = LoggerFactory.getLogger(AddressPool.class);
    static final Duration OFFER_HOLD = Duration.ofSeconds(60);
    static final Duration DECLINE_HOLD = Duration.ofMinutes(10);

    private final int start;
    private final int end;
    private final LeaseRepository leases;
    private final StoreWriter writer;
    private final ClientDirectory clients;
    /** The address last offered to each MAC: a client that asks again is offered the same one. */
    private final Map<String, Integer> offeredTo = new ConcurrentHashMap<>();
    private final Clock clock;
    /** The leases as stored (and being stored), by MAC: the pool's own copy, the source for decisions. */
    private final Map<String, Lease> leaseByMac = new ConcurrentHashMap<>();
    /** The same leases by address, so a decision is O(1) however many leases there are (a DHCP storm). */
    private final Map<Integer, Lease> leaseByIp = new ConcurrentHashMap<>();
    private final Map<Integer, Hold> offered = new ConcurrentHashMap<>();
    private final Map<Integer, Instant> declined = new ConcurrentHashMap<>();
    /** "name=value" of reservations already reported as unusable: the directory is read on every packet. */
    private final Set<String> reportedBadReservations = ConcurrentHashMap.newKeySet();
    /**
     * Where the search for a free address starts: the addresses below it were taken when it was set.
     * A storm of new clients then costs O(1) each instead of a walk over every lease; an address
     * freed by a release, decline or a dropped offer moves it back, one freed by expiry is found
     * when the search wraps around.
     */
    private volatile long cursor;

    private record Hold(String mac, Instant until) {
    }

    private volatile org.netroot.server.events.ChangePublisher changes = org.netroot.server.events.ChangePublisher.NONE;

    /** Where granted and released leases are announced (the live stream), once they are stored. */
    public void publishTo(org.netroot.server.events.ChangePublisher publisher) {
        this.changes = publisher;
    }

    /** Reads the stored leases once (call it off the event loop, e.g. when the service starts). */
    public AddressPool(Inet4Address rangeStart, Inet4Address rangeEnd, LeaseRepository leases, StoreWriter writer,
            ClientDirectory clients, Clock clock) {
        this.start = ServedInterface.toInt(rangeStart);
        this.end = ServedInterface.toInt(rangeEnd);
        if (Integer.compareUnsigned(start, end) > 0) {
            throw new IllegalArgumentException("DHCP range start " + rangeStart.getHostAddress() + " is after its end "
                    + rangeEnd.getHostAddress());
        }
        this.leases = leases;
        this.writer = writer;
        this.clients = clients;
        this.cursor = Integer.toUnsignedLong(start);
        this.clock = clock;
        for (Lease l : leases.list()) remember(l);
    }

    /** The first address of the range (a relayed request is served when its relay is in the range's subnet). */
    public Inet4Address rangeStart() {
        return DhcpPacket.ipv4(ServedInterface.toBytes(start));
    }

    public Inet4Address rangeEnd() {
        return DhcpPacket.ipv4(ServedInterface.toBytes(end));
    }

    /** The leases and reservations right now, from memory. */
    private final class View {
        final Instant now = clock.instant();
        final Map<Integer, String> reservedFor = new HashMap<>();
        Integer reservationOfMac;
        Lease leaseOfMac;

        View(String mac) {
            leaseOfMac = leaseByMac.get(mac);
            for (Client c : clients.all()) {
                if (c.reservedIp() == null || c.reservedIp().isBlank()) continue;
                Integer ip = reservation(c);
                if (ip == null) continue;
                reservedFor.put(ip, c.mac());
                if (c.mac().equals(mac)) reservationOfMac = ip;
            }
        }

        boolean mayHave(String mac, int ip, ServedInterface on) {
            Inet4Address address = DhcpPacket.ipv4(ServedInterface.toBytes(ip));
            if (!on.isHostAddress(address) || address.equals(on.address()) || address.equals(on.serverAddress())) {
                return false;
            }
            if (reservationOfMac != null) return reservationOfMac == ip; // a reservation is the only answer
            if (Integer.compareUnsigned(ip, start) < 0 || Integer.compareUnsigned(ip, end) > 0) return false;
            String reservedMac = reservedFor.get(ip);
            if (reservedMac != null && !reservedMac.equals(mac)) return false;
            Lease lease = leaseByIp.get(ip);
            if (lease != null && !lease.mac().equals(mac) && lease.expiresAt().isAfter(now)) return false;
            Hold hold = offered.get(ip);
            if (hold != null && !hold.mac().equals(mac) && hold.until().isAfter(now)) return false;
            Instant declinedUntil = declined.get(ip);
            return declinedUntil == null || !declinedUntil.isAfter(now);
        }
    }

    /**
     * The client's reserved address, or null when the stored value is not an IPv4 address: one bad
     * row (written before {@code client add} checked it, or by hand) must not stop DHCP for every
     * other client. That client is then treated as having no reservation; reported once.
     */
    private Integer reservation(Client c) {
        try {
            return ServedInterface.toInt(DhcpPacket.ipv4(c.reservedIp().strip()));
        } catch (IllegalArgumentException e) {
            if (reportedBadReservations.add(c.name() + "=" + c.reservedIp())) {
                log.warn("DHCP: client {} ({}) has an unusable reserved address \"{}\": ignored, the client gets an"
                        + " address from the range", c.name(), c.mac(), c.reservedIp());
            }
            return null;
        }
    }

    /** The address to offer: the reservation, else this MAC's lease, else the one asked for, else the first free. */
    public Optional<Inet4Address> offer(String mac, Inet4Address requested, ServedInterface on) {
        View view = new View(mac);
        Integer pick = null;
        if (view.reservationOfMac != null) {
            if (view.mayHave(mac, view.reservationOfMac, on)) pick = view.reservationOfMac;
        } else {
            if (view.leaseOfMac != null) {
                int ip = ServedInterface.toInt(DhcpPacket.ipv4(view.leaseOfMac.ip()));
                if (view.mayHave(mac, ip, on)) pick = ip;
            }
            Integer held = offeredTo.get(mac);
            if (pick == null && held != null && view.mayHave(mac, held, on)) pick = held;
            if (pick == null && requested != null && view.mayHave(mac, ServedInterface.toInt(requested), on)) {
                pick = ServedInterface.toInt(requested);
            }
            // every address once, from where the last search stopped, wrapping at the end of the range
            long first = Integer.toUnsignedLong(start);
            long size = Integer.toUnsignedLong(end) - first + 1;
            long from = cursor;
            for (long i = 0; pick == null && i < size; i++) {
                long ip = first + (from - first + i) % size;
                if (view.mayHave(mac, (int) ip, on)) {
                    pick = (int) ip;
                    cursor = ip + 1 > Integer.toUnsignedLong(end) ? first : ip + 1;
                }
            }
        }
        if (pick == null) return Optional.empty();
        Hold before = offered.put(pick, new Hold(mac, view.now.plus(OFFER_HOLD)));
        // that MAC's hold is gone: forget what it was offered, or a spoofed-MAC DISCOVER flood would
        // grow offeredTo by one entry per MAC for ever (now it is bounded by the holds, i.e. the range)
        if (before != null && !before.mac().equals(mac)) offeredTo.remove(before.mac(), pick);
        // what the range offered this MAC, kept across a reservation's offer so it gets the same address again
        if (view.reservationOfMac == null) offeredTo.put(mac, pick);
        return Optional.of(DhcpPacket.ipv4(ServedInterface.toBytes(pick)));
    }

    /** Whether this MAC may use this address on this interface (a REQUEST's check, RFC 2131 §4.3.2). */
    public boolean mayHave(String mac, Inet4Address ip, ServedInterface on) {
        return new View(mac).mayHave(mac, ServedInterface.toInt(ip), on);
    }

    /**
     * Takes the lease (the DHCPACK's promise) at once in memory and stores it on the writer thread:
     * the ACK must leave only when the returned write has completed (a lease is on disk before its ACK).
     * If the write fails the lease stays taken in memory and no ACK leaves; the client's next
     * REQUEST writes it again.
     */
    public CompletableFuture<Lease> commit(String mac, Inet4Address ip, int leaseSeconds, String hostname) {
        Lease lease = new Lease(mac, ip.getHostAddress(), clock.instant().plusSeconds(leaseSeconds), hostname);
        boolean displaced = remember(lease);
        Hold held = offered.remove(ServedInterface.toInt(ip));
        if (held != null && !held.mac().equals(mac)) offeredTo.remove(held.mac(), ServedInterface.toInt(ip));
        offeredTo.remove(mac);
        // one statement per ACK in a storm; two only when an expired lease of another MAC is taken over
        Runnable write = displaced ? () -> leases.save(lease) : () -> leases.merge(lease);
        return writer.submit(write).thenApply(v -> {
            changes.publish(org.netroot.server.api.ChangeType.LEASE_GRANTED, lease.mac(), lease);
            return lease;
        });
    }

    /** How many MACs have an offer remembered (bounded by the offers held, whatever the MACs seen). */
    int macsWithAnOffer() {
        return offeredTo.size();
    }

    /** The client chose another server: free what we offered it. */
    public void forgetOffer(String mac) {
        Integer held = offeredTo.remove(mac);
        if (held != null) offered.remove(held);
        cursor = Integer.toUnsignedLong(start);
    }

    public boolean release(String mac, Inet4Address ip) {
        Lease lease = leaseByMac.get(mac);
        if (lease == null || !lease.ip().equals(ip.getHostAddress()) || !leaseByMac.remove(mac, lease)) return false;
        leaseByIp.remove(ipOf(lease), lease);
        writer.submit(() -> leases.release(mac)).thenRun(
                () -> changes.publish(org.netroot.server.api.ChangeType.LEASE_RELEASED, lease.mac(), lease))
                .exceptionally(e -> {
                    log.warn("DHCP: could not remove the released lease of {} from the store: {}", mac, e.toString());
                    return null;
                });
        cursor = Integer.toUnsignedLong(start);
        return true;
    }

    /**
     * Keeps a lease in both indexes, dropping what this MAC held before and whoever held this address;
     * true when another MAC held it (its stored row must go too).
     */
    private synchronized boolean remember(Lease lease) {
        int ip = ipOf(lease);
        Lease before = leaseByMac.put(lease.mac(), lease);
        if (before != null) leaseByIp.remove(ipOf(before), before);
        Lease other = leaseByIp.put(ip, lease);
        boolean displaced = other != null && !other.mac().equals(lease.mac());
        if (displaced) leaseByMac.remove(other.mac(), other);
        return displaced;
    }

    private static int ipOf(Lease lease) {
        return ServedInterface.toInt(DhcpPacket.ipv4(lease.ip()));
    }

    /** The client found the address in use (RFC 2131 §4.3.3): drop the lease, do not offer it for a while. */
    public void decline(String mac, Inet4Address ip) {
        release(mac, ip);
        declined.put(ServedInterface.toInt(ip), clock.instant().plus(DECLINE_HOLD));
    }
}
