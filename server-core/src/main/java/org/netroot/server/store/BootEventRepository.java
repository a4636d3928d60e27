package org.netroot.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

public final class BootEventRepository {
    private static final int MAX_DETAIL = 2048;
    private final Jdbc jdbc;

    public BootEventRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    public BootEvent insert(BootEvent e) {
        String detail = e.detail() != null && e.detail().length() > MAX_DETAIL
                ? e.detail().substring(0, MAX_DETAIL) : e.detail();
        long id = jdbc.insertReturningId(
                "INSERT INTO boot_event (at, mac, client_name, type, detail, duration_ms, bytes) VALUES (?,?,?,?,?,?,?)",
                e.at(), e.mac(), e.clientName(), e.type(), detail, e.durationMs(), e.bytes());
        return e.withId(id);
    }

    /** Deletes all but the newest {@code keep} events; returns how many went. */
    public int keepNewest(long keep) {
        return jdbc.update("DELETE FROM boot_event WHERE id <= (SELECT MAX(id) FROM boot_event) - ?", keep);
    }

    /** Events with id greater than {@code afterId}, oldest first, at most {@code limit}. */
    public List<BootEvent> after(long afterId, int limit) {
        return jdbc.query("SELECT * FROM boot_event WHERE id > ? ORDER BY id LIMIT ?", BootEventRepository::map,
                afterId, limit);
    }

    /** One machine's events with id greater than {@code afterId}, oldest first (index boot_event_by_mac). */
    public List<BootEvent> forMacAfter(String mac, long afterId, int limit) {
        return jdbc.query("SELECT * FROM boot_event WHERE mac = ? AND id > ? ORDER BY id LIMIT ?",
                BootEventRepository::map, mac, afterId, limit);
    }

    public List<BootEvent> forMac(String mac) {
        return jdbc.query("SELECT * FROM boot_event WHERE mac = ? ORDER BY id", BootEventRepository::map, mac);
    }

    private static BootEvent map(ResultSet rs) throws SQLException {
        return new BootEvent(rs.getLong("id"), Jdbc.instant(rs, "at"), rs.getString("mac"),
                rs.getString("client_name"), BootEventType.valueOf(rs.getString("type")), rs.getString("detail"),
                Jdbc.nullableLong(rs, "duration_ms"), Jdbc.nullableLong(rs, "bytes"));
    }
}
