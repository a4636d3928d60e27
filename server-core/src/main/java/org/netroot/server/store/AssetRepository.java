package org.netroot.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;

/** The asset table: what the library holds; the files are the asset store's. */
public final class AssetRepository {
    private final Jdbc jdbc;

    public AssetRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    /** {@code fileName}: the file in the assets folder (today the asset's name). */
    public void add(Asset a, String fileName) {
        jdbc.update("INSERT INTO asset (name, kind, file_name, size_bytes, sha256, added_at) VALUES (?,?,?,?,?,?)",
                a.name(), a.kind(), fileName, a.sizeBytes(), a.sha256(), a.addedAt());
    }

    public boolean remove(String name) {
        return jdbc.update("DELETE FROM asset WHERE name = ?", name) > 0;
    }

    public List<Asset> list() {
        return jdbc.query("SELECT * FROM asset ORDER BY name", AssetRepository::map);
    }

    public Optional<Asset> byName(String name) {
        return jdbc.queryOne("SELECT * FROM asset WHERE name = ?", AssetRepository::map, name);
    }

    private static Asset map(ResultSet rs) throws SQLException {
        return new Asset(rs.getString("name"), AssetKind.valueOf(rs.getString("kind")), rs.getLong("size_bytes"),
                rs.getString("sha256"), Jdbc.instant(rs, "added_at"));
    }
}
