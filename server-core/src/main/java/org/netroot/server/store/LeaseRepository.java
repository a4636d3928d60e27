package org.netroot.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Client;
import org.netroot.server.api.Lease;

/** Full-mode DHCP leases, kept across restarts. */
public final class LeaseRepository {
    private final Jdbc jdbc;

    public LeaseRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    /** Inserts or replaces the lease of this MAC; a stale lease of another MAC on the same IP is removed. */
    public synchronized void save(Lease lease) {
        jdbc.update("DELETE FROM lease WHERE ip = ? AND mac <> ?", lease.ip(), lease.mac());
        jdbc.update("MERGE INTO lease (mac, ip, expires_at, hostname) KEY (mac) VALUES (?,?,?,?)",
                lease.mac(), lease.ip(), lease.expiresAt(), lease.hostname());
    }

    /**
     * Inserts or replaces the lease of this MAC, in one statement, for a caller that believes no other
     * MAC holds its IP (the DHCP pool's in-memory index). The store can still hold such a row: a
     * release whose delete failed (writer queue full in a storm) is gone from memory but not from
     * here. Then the UNIQUE ip refuses the row; {@link #save} removes the stale one, or every ACK of
     * that address would be dropped until a restart.
     */
    public void merge(Lease lease) {
        try {
            jdbc.update("MERGE INTO lease (mac, ip, expires_at, hostname) KEY (mac) VALUES (?,?,?,?)",
                    lease.mac(), lease.ip(), lease.expiresAt(), lease.hostname());
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())) throw e;
            save(lease);
        }
    }

    /** SQLSTATE of a unique constraint violation (SQL standard class 23, H2's DUPLICATE_KEY_1). */
    private static final String UNIQUE_VIOLATION = "23505";

    public Optional<Lease> byMac(String mac) {
        return jdbc.queryOne("SELECT * FROM lease WHERE mac = ?", LeaseRepository::map, Client.normalizeMac(mac));
    }

    public Optional<Lease> byIp(String ip) {
        return jdbc.queryOne("SELECT * FROM lease WHERE ip = ?", LeaseRepository::map, ip);
    }

    public List<Lease> list() {
        return jdbc.query("SELECT * FROM lease ORDER BY ip", LeaseRepository::map);
    }

    public boolean release(String mac) {
        return jdbc.update("DELETE FROM lease WHERE mac = ?", Client.normalizeMac(mac)) > 0;
    }

    public int removeExpired(Instant now) {
        return jdbc.update("DELETE FROM lease WHERE expires_at < ?", now);
    }

    private static Lease map(ResultSet rs) throws SQLException {
        return new Lease(rs.getString("mac"), rs.getString("ip"), Jdbc.instant(rs, "expires_at"),
                rs.getString("hostname"));
    }
}
