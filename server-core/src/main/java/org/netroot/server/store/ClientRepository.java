package org.netroot.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;

/**
 * The client table, and client_initiator for each client's initiator names after the first. Every
 * write ends by telling the {@link ClientDirectory} what is now stored ({@code directory.put(client)}
 * after an insert or update, {@code directory.remove(name)} after a delete): the protocols read the
 * directory, never these tables.
 */
public final class ClientRepository {
    private static final String COLUMNS = "name, mac, volume_name, boot_mode, initiator_iqn, chap_user, chap_secret,"
            + " mutual_chap_user, mutual_chap_secret, reserved_ip, boot_options";
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
        jdbc.transaction(tx -> {
            Jdbc.update(tx, "INSERT INTO client (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    c.name(), c.mac(), c.volumeName(), c.bootMode(), c.initiatorIqn(), c.chapUser(), c.chapSecret(),
                    c.mutualChapUser(), c.mutualChapSecret(), c.reservedIp(), BootOptionsColumn.write(c.boot()));
            insertOtherInitiators(tx, c);
        });
        directory.put(c);
    }

    /** Replaces the stored client of the same name. */
    public boolean update(Client c) {
        boolean[] updated = {false};
        jdbc.transaction(tx -> {
            updated[0] = Jdbc.update(tx, "UPDATE client SET mac = ?, volume_name = ?, boot_mode = ?, initiator_iqn = ?,"
                    + " chap_user = ?, chap_secret = ?, mutual_chap_user = ?, mutual_chap_secret = ?, reserved_ip = ?,"
                    + " boot_options = ? WHERE name = ?",
                    c.mac(), c.volumeName(), c.bootMode(), c.initiatorIqn(), c.chapUser(), c.chapSecret(),
                    c.mutualChapUser(), c.mutualChapSecret(), c.reservedIp(), BootOptionsColumn.write(c.boot()),
                    c.name()) > 0;
            if (!updated[0]) return;
            Jdbc.update(tx, "DELETE FROM client_initiator WHERE client_name = ?", c.name());
            insertOtherInitiators(tx, c);
        });
        if (updated[0]) directory.put(c);
        return updated[0];
    }

    private static void insertOtherInitiators(Connection tx, Client c) throws SQLException {
        List<String> others = c.otherInitiatorIqns();
        for (int i = 0; i < others.size(); i++) {
            Jdbc.update(tx, "INSERT INTO client_initiator (client_name, position, initiator_iqn) VALUES (?,?,?)",
                    c.name(), i, others.get(i));
        }
    }

    /** Every client's install phase (V9) that is set, by client name. */
    public Map<String, String> installPhases() {
        Map<String, String> phases = new LinkedHashMap<>();
        jdbc.query("SELECT name, install_phase FROM client WHERE install_phase IS NOT NULL ORDER BY name", rs -> {
            phases.put(rs.getString("name"), rs.getString("install_phase"));
            return null;
        });
        return phases;
    }

    /** Sets (null: clears) a client's install phase; false when no client has that name. */
    public boolean setInstallPhase(String name, String phase) {
        return jdbc.update("UPDATE client SET install_phase = ? WHERE name = ?", phase, name) > 0;
    }

    /** Its initiator names go with it (ON DELETE CASCADE). */
    public boolean remove(String name) {
        boolean removed = jdbc.update("DELETE FROM client WHERE name = ?", name) > 0;
        if (removed) directory.remove(name);
        return removed;
    }

    public List<Client> list() {
        Map<String, List<String>> others = new LinkedHashMap<>();
        jdbc.query("SELECT client_name, initiator_iqn FROM client_initiator ORDER BY client_name, position", rs -> {
            others.computeIfAbsent(rs.getString("client_name"), n -> new ArrayList<>()).add(rs.getString("initiator_iqn"));
            return null;
        });
        return jdbc.query("SELECT " + COLUMNS + " FROM client ORDER BY name",
                rs -> map(rs, others.getOrDefault(rs.getString("name"), List.of())));
    }

    public Optional<Client> byName(String name) {
        return withOthers(jdbc.queryOne("SELECT " + COLUMNS + " FROM client WHERE name = ?", rs -> map(rs, List.of()), name));
    }

    public Optional<Client> byMac(String mac) {
        return withOthers(jdbc.queryOne("SELECT " + COLUMNS + " FROM client WHERE mac = ?", rs -> map(rs, List.of()),
                Client.normalizeMac(mac)));
    }

    public Optional<Client> byTargetIqn(String targetIqn) {
        String prefix = Client.IQN_PREFIX + ":";
        if (targetIqn == null || !targetIqn.startsWith(prefix)) return Optional.empty();
        return byName(targetIqn.substring(prefix.length()));
    }

    private Optional<Client> withOthers(Optional<Client> client) {
        return client.map(c -> {
            List<String> others = jdbc.query("SELECT initiator_iqn FROM client_initiator WHERE client_name = ?"
                    + " ORDER BY position", rs -> rs.getString("initiator_iqn"), c.name());
            if (others.isEmpty()) return c;
            List<String> all = new ArrayList<>(others.size() + 1);
            all.add(c.initiatorIqn());
            all.addAll(others);
            return c.withInitiatorIqns(all);
        });
    }

    private static Client map(ResultSet rs, List<String> otherInitiators) throws SQLException {
        return new Client(rs.getString("name"), rs.getString("mac"), rs.getString("volume_name"),
                BootMode.valueOf(rs.getString("boot_mode")), rs.getString("initiator_iqn"),
                rs.getString("chap_user"), rs.getString("chap_secret"), rs.getString("mutual_chap_user"),
                rs.getString("mutual_chap_secret"), rs.getString("reserved_ip"), false, false, otherInitiators,
                BootOptionsColumn.read(rs.getString("boot_options")));
    }
}
