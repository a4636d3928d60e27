package org.netroot.server.store;

import java.time.Instant;
import java.util.List;

/** Where each MAC was last seen by DHCP (table peer_address), so it survives a restart. */
public final class PeerAddressRepository {
    /**
     * One MAC at one IPv4 address (dotted quad), as of {@code seenAt}; {@code vouchedAt} when the MAC's
     * own TCP traffic last came from there, null when not since the sighting.
     */
    public record PeerAddress(String mac, String ip, Instant seenAt, Instant vouchedAt) {
        public PeerAddress(String mac, String ip, Instant seenAt) {
            this(mac, ip, seenAt, null);
        }
    }

    private final Jdbc jdbc;

    public PeerAddressRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    /** This MAC is at this address now; another MAC said to be there before is not any more. */
    public synchronized void save(PeerAddress p) {
        jdbc.update("DELETE FROM peer_address WHERE ip = ? AND mac <> ?", p.ip(), p.mac());
        jdbc.update("MERGE INTO peer_address (mac, ip, seen_at, vouched_at) KEY (mac) VALUES (?,?,?,?)", p.mac(), p.ip(),
                p.seenAt(), p.vouchedAt());
    }

    public void forget(String mac) {
        jdbc.update("DELETE FROM peer_address WHERE mac = ?", mac);
    }

    /** Oldest first. */
    public List<PeerAddress> all() {
        return jdbc.query("SELECT mac, ip, seen_at, vouched_at FROM peer_address ORDER BY seen_at",
                rs -> new PeerAddress(rs.getString("mac"), rs.getString("ip"), Jdbc.instant(rs, "seen_at"),
                        Jdbc.instant(rs, "vouched_at")));
    }
}
