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
        jdbc.update("INSERT INTO volume (name, size_bytes, file_name, created_at, format, updated_at, golden, overlay_of,"
                        + " shared) VALUES (?,?,?,?,?,?,?,?,?)",
                v.name(), v.sizeBytes(), v.fileName(), v.createdAt(), v.format() == null ? Volume.RAW : v.format(),
                v.createdAt(), v.golden(), v.overlayOf(), v.shared());
    }

    /** Marks a volume golden (or not); false when no volume has that name. */
    public boolean updateGolden(String name, boolean golden) {
        return jdbc.update("UPDATE volume SET golden = ?, updated_at = ? WHERE name = ?", golden,
                java.time.Instant.now(), name) > 0;
    }

    /** Marks a volume shared by several initiators (or not); false when no volume has that name. */
    public boolean updateShared(String name, boolean shared) {
        return jdbc.update("UPDATE volume SET shared = ?, updated_at = ? WHERE name = ?", shared,
                java.time.Instant.now(), name) > 0;
    }

    /** The overlays whose backing file is {@code golden}'s, by name. */
    public List<String> overlaysOf(String golden) {
        return jdbc.query("SELECT name FROM volume WHERE overlay_of = ? ORDER BY name", rs -> rs.getString("name"), golden);
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
                Jdbc.instant(rs, "created_at"), rs.getString("format"), -1, rs.getBoolean("golden"), rs.getString("overlay_of"),
                List.of(), rs.getBoolean("shared"));
    }
}
