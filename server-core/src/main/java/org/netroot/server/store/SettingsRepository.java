package org.netroot.server.store;

import java.util.Optional;

/** Small named values the server keeps (e.g. the serve flags last used). */
public final class SettingsRepository {
    private final Jdbc jdbc;

    public SettingsRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    public void put(String name, String value) {
        jdbc.update("MERGE INTO setting (name, val) KEY (name) VALUES (?, ?)", name, value);
    }

    public Optional<String> get(String name) {
        return jdbc.queryOne("SELECT val FROM setting WHERE name = ?", rs -> rs.getString(1), name);
    }
}
