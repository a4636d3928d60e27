package org.netroot.server.nbd;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.netroot.server.api.Client;
import org.netroot.server.events.PeerDirectory;

/**
 * Where NBD, which has no login, believes a client is: the only check between an address and a disk.
 *
 * <ul>
 * <li>Full DHCP: Netroot leases the addresses itself, so the client's reserved address (no other MAC
 * gets it) and the address its lease from Netroot names count. A lease vouches for its lease time: a
 * running client renews it at half time with a REQUEST to Netroot, which is seen again; one not
 * renewed may go to another machine.</li>
 * <li>No DHCP service (--dhcp off): Netroot sees no DHCP at all, so the client's reserved address is
 * the one statement of where it is, an address list as nbd-server's authfile keeps one.</li>
 * <li>Proxy DHCP: the router leases, so a reservation in Netroot proves nothing, and a
 * DHCP sighting is only what a broadcast claimed (anyone can send a REQUEST with another machine's
 * chaddr and its own address in option 50). What counts is a sighting the client's own TCP traffic
 * vouched for: its iPXE script fetched from that address right after DHCP saw it there, then its
 * NBD use, within the last {@link #UNATTENDED} ({@link PeerDirectory#vouchedAddressOf}).</li>
 * </ul>
 */
public final class ClientAddressRule {
    /**
     * How long a vouched proxy-mode address stays trusted without traffic: an initramfs mounts its
     * root a minute or two after the script, and a connection that dropped may come back within it;
     * a machine gone for longer boots again (the router's renewals are unseen, so its address may
     * belong to another machine by now).
     */
    static final Duration UNATTENDED = PeerDirectory.RECENT;

    private final Duration leaseTime;
    /** No DHCP is seen at all: only a reservation can say where a client is. */
    private final boolean reservationsOnly;

    private ClientAddressRule(Duration leaseTime, boolean reservationsOnly) {
        this.leaseTime = leaseTime;
        this.reservationsOnly = reservationsOnly;
    }

    /** Netroot leases the addresses, for {@code leaseTime}. */
    public static ClientAddressRule fullDhcp(Duration leaseTime) {
        return new ClientAddressRule(leaseTime, false);
    }

    /** Another server leases the addresses and Netroot answers beside it (proxy mode). */
    public static ClientAddressRule otherServerLeases() {
        return new ClientAddressRule(null, false);
    }

    /** Netroot runs no DHCP (--dhcp off): the admin's reserved addresses are all it can know. */
    public static ClientAddressRule reservedAddressesOnly() {
        return new ClientAddressRule(null, true);
    }

    boolean leasesAddresses() {
        return leaseTime != null;
    }

    /** Whether a connection from {@code peer} is {@code c}. */
    boolean isAt(Client c, InetAddress peer, PeerDirectory peers) {
        // the cheap test first: the neighbour table is read only for the client whose address it is
        return addressFits(c, peer, peers) && !peers.contradicted(peer, c.mac()); // the link shows another machine?
    }

    private boolean addressFits(Client c, InetAddress peer, PeerDirectory peers) {
        if (reservationsOnly) return c.reservedIp() != null && c.reservedIp().strip().equals(peer.getHostAddress());
        if (leasesAddresses()) {
            if (c.reservedIp() != null && c.reservedIp().strip().equals(peer.getHostAddress())) return true;
            if (peers.addressSeenWithin(c.mac(), leaseTime).filter(peer::equals).isPresent()) return true;
            // an nbdroot kernel never renews its lease: its use since vouches for the address it was leased
            // (as long as no other MAC took that address, which ends the sighting)
            return peers.vouchedAddressOf(c.mac(), UNATTENDED).filter(peer::equals).isPresent();
        }
        return peers.vouchedAddressOf(c.mac(), UNATTENDED).filter(peer::equals).isPresent();
    }

    /** A connection {@link #isAt} allowed used the volume: trust in the address is renewed by use. */
    void used(Client c, InetAddress peer, PeerDirectory peers) {
        if (leasesAddresses()) peers.leaseUsedFrom(peer, c.mac());
        else if (!reservationsOnly) peers.stillUsedFrom(peer, c.mac());
    }

    /** Where the client is believed to be, for a refusal's detail (the admin's eyes only). */
    String whereKnown(Client c, PeerDirectory peers) {
        if (reservationsOnly) {
            return c.reservedIp() == null ? "which has no reserved address (with DHCP off, NBD serves a client only at"
                    + " its reserved address: netroot client edit NAME --ip ADDRESS)"
                    : "whose reserved address is " + c.reservedIp();
        }
        Optional<InetAddress> seen = peers.addressOf(c.mac());
        String where;
        if (seen.isEmpty()) {
            where = "whose address DHCP has not seen yet (it boots through another DHCP server, or not yet)";
        } else if (leasesAddresses()) {
            String at = seen.get().getHostAddress();
            where = peers.addressSeenWithin(c.mac(), leaseTime).isPresent() ? "which Netroot's DHCP leased " + at
                    : "whose lease of " + at + " from Netroot's DHCP ran out (" + leaseTime.toSeconds() + " s) unrenewed";
        } else if (peers.vouchedAddressOf(c.mac(), UNATTENDED).isPresent()) {
            where = "which booted from " + seen.get().getHostAddress();
        } else {
            where = "which DHCP saw at " + seen.get().getHostAddress() + " (proxy mode: that counts once the client"
                    + " fetched its iPXE script from there, until " + UNATTENDED.toMinutes() + " minutes without NBD use)";
        }
        if (c.reservedIp() == null) return where;
        return where + "; its reserved address is " + c.reservedIp()
                + (leasesAddresses() ? "" : " (reserved addresses count in full DHCP mode only: here the router leases)");
    }
}
