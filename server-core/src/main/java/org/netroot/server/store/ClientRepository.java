package org.netroot.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;

/**
 * The client table. Every write ends by telling the {@link ClientDirectory} what is now stored
 * ({@code directory.put(client)} after an insert or update, {@code directory.remove(name)} after a
 * delete): the protocols read the directory, never this table.
 */
public final class ClientRepository {
    private static final String COLUMNS = "name, mac, volume_name, boot_mode, initiator_iqn, chap_user, chap_secret,"
            + " mutual_chap_user, mutual_chap_secret, reserved_ip";
    private final Jdbc jdbc;
    private final ClientDirectory directory;

    public ClientRepository(Database db) {
        this.jdbc = new Jdbc(db);
        this.directory = db.clientDirectory();
    }

    /** The in-memory, read-only view the protocols use. */
    public ClientDirectory directory() {
        return directory;
    }

    public void add(Client c) {
        jdbc.update("INSERT INTO client (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                c.name(), c.mac(), c.volumeName(), c.bootMode(), c.initiatorIqn(), c.chapUser(), c.chapSecret(),
                c.mutualChapUser(), c.mutualChapSecret(), c.reservedIp());
        directory.put(c);
    }

    /** Replaces the stored client of the same name. */
    public boolean update(Client c) {
        boolean updated = jdbc.update("UPDATE client SET mac = ?, volume_name = ?, boot_mode = ?, initiator_iqn = ?, chap_user = ?,"
                + " chap_secret = ?, mutual_chap_user = ?, mutual_chap_secret = ?, reserved_ip = ? WHERE name = ?",
                c.mac(), c.volumeName(), c.bootMode(), c.initiatorIqn(), c.chapUser(), c.chapSecret(),
                c.mutualChapUser(), c.mutualChapSecret(), c.reservedIp(), c.name()) > 0;
        if (updated) directory.put(c);
        return updated;
    }

    public boolean remove(String name) {
        boolean removed = jdbc.update("DELETE FROM client WHERE name = ?", name) > 0;
        if (removed) directory.remove(name);
        return removed;
    }

    public List<Client> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM client ORDER BY name", ClientRepository::map);
    }

    public Optional<Client> byName(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM client WHERE name = ?", ClientRepository::map, name);
    }

    public Optional<Client> byMac(String mac) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM client WHERE mac = ?", ClientRepository::map,
                Client.normalizeMac(mac));
    }

    public Optional<Client> byTargetIqn(String targetIqn) {
        String prefix = Client.IQN_PREFIX + ":";
        if (targetIqn == null || !targetIqn.startsWith(prefix)) return Optional.empty();
        return byName(targetIqn.substring(prefix.length()));
    }

    private static Client map(ResultSet rs) throws SQLException {
        return new Client(rs.getString("name"), rs.getString("mac"), rs.getString("volume_name"),
                BootMode.valueOf(rs.getString("boot_mode")), rs.getString("initiator_iqn"),
                rs.getString("chap_user"), rs.getString("chap_secret"), rs.getString("mutual_chap_user"),
                rs.getString("mutual_chap_secret"), rs.getString("reserved_ip"));
    }
}
