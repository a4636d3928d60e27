package org.netroot.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Client;
import org.netroot.server.api.DiscoveredMachine;

/** Machines seen asking to network-boot with a MAC no client has. */
public final class DiscoveredMachineRepository {
    private final Jdbc jdbc;

    public DiscoveredMachineRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    /** Inserts the machine, or updates what it said and when it was last seen (first seen stays). */
    public DiscoveredMachine seen(DiscoveredMachine m) {
        int updated = jdbc.update("UPDATE discovered_machine SET architecture = ?, vendor_class = ?, interface_name = ?,"
                + " last_seen = ? WHERE mac = ?", m.architecture(), m.vendorClass(), m.interfaceName(), m.lastSeen(), m.mac());
        if (updated == 0) {
            jdbc.update("INSERT INTO discovered_machine (mac, architecture, vendor_class, interface_name, first_seen,"
                    + " last_seen) VALUES (?,?,?,?,?,?)", m.mac(), m.architecture(), m.vendorClass(), m.interfaceName(),
                    m.firstSeen(), m.lastSeen());
        }
        return byMac(m.mac()).orElse(m);
    }

    public Optional<DiscoveredMachine> byMac(String mac) {
        return jdbc.queryOne("SELECT * FROM discovered_machine WHERE mac = ?", DiscoveredMachineRepository::map,
                Client.normalizeMac(mac));
    }

    public List<DiscoveredMachine> list() {
        return jdbc.query("SELECT * FROM discovered_machine ORDER BY last_seen DESC, mac", DiscoveredMachineRepository::map);
    }

    /** Deletes all but the {@code keep} most recently seen machines. */
    public int keepNewest(int keep) {
        return jdbc.update("DELETE FROM discovered_machine WHERE mac NOT IN (SELECT mac FROM discovered_machine"
                + " ORDER BY last_seen DESC LIMIT ?)", keep);
    }

    public boolean forget(String mac) {
        return jdbc.update("DELETE FROM discovered_machine WHERE mac = ?", Client.normalizeMac(mac)) > 0;
    }

    private static DiscoveredMachine map(ResultSet rs) throws SQLException {
        return new DiscoveredMachine(rs.getString("mac"), rs.getInt("architecture"), rs.getString("vendor_class"),
                rs.getString("interface_name"), Jdbc.instant(rs, "first_seen"), Jdbc.instant(rs, "last_seen"));
    }
}
