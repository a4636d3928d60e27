package org.netroot.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Volume;

public final class VolumeRepository {
    private final Jdbc jdbc;

    public VolumeRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    public void add(Volume v) {
        jdbc.update("INSERT INTO volume (name, size_bytes, file_name, created_at, format, updated_at) VALUES (?,?,?,?,?,?)",
                v.name(), v.sizeBytes(), v.fileName(), v.createdAt(), v.format() == null ? Volume.RAW : v.format(),
                v.createdAt());
    }

    /** Records a resized volume's new size; false when no volume has that name. */
    public boolean updateSize(String name, long sizeBytes) {
        return jdbc.update("UPDATE volume SET size_bytes = ?, updated_at = ? WHERE name = ?", sizeBytes,
                java.time.Instant.now(), name) > 0;
    }

    public boolean remove(String name) {
        return jdbc.update("DELETE FROM volume WHERE name = ?", name) > 0;
    }

    public List<Volume> list() {
        return jdbc.query("SELECT * FROM volume ORDER BY name", VolumeRepository::map);
    }

    public Optional<Volume> byName(String name) {
        return jdbc.queryOne("SELECT * FROM volume WHERE name = ?", VolumeRepository::map, name);
    }

    private static Volume map(ResultSet rs) throws SQLException {
        return new Volume(rs.getString("name"), rs.getLong("size_bytes"), rs.getString("file_name"),
                Jdbc.instant(rs, "created_at"), rs.getString("format"), -1);
    }
}
