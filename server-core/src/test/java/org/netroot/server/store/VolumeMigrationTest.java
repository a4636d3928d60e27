package org.netroot.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Volume;

/** V2 (volume resize) applied to a database a V1 release wrote: its volumes are raw and keep their rows. */
class VolumeMigrationTest {
    @TempDir Path dir;

    @Test
    void aV1DatabaseGainsTheVolumeFormatAndUpdateTime() throws Exception {
        JdbcConnectionPool v1 = JdbcConnectionPool.create("jdbc:h2:file:" + dir.toAbsolutePath().resolve("netroot"),
                "netroot", "");
        try {
            Flyway.configure().dataSource(v1).locations("classpath:db/migration").target("1").load().migrate();
            try (Connection c = v1.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO volume (name, size_bytes, file_name, created_at)"
                        + " VALUES ('old', 1048576, 'old.img', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
            }
        } finally {
            v1.dispose();
        }

        try (Database db = Database.open(dir)) {
            VolumeRepository volumes = new VolumeRepository(db);
            Volume old = volumes.byName("old").orElseThrow();
            assertEquals(Volume.RAW, old.format(), "volumes of V1 are raw files");
            assertEquals(1048576, old.sizeBytes());
            assertTrue(volumes.updateSize("old", 2097152));
            assertEquals(2097152, volumes.byName("old").orElseThrow().sizeBytes());
            assertEquals(false, volumes.updateSize("missing", 512));
            volumes.add(new Volume("new", 512, "new.img", java.time.Instant.now()));
            assertEquals(Volume.RAW, volumes.byName("new").orElseThrow().format());
        }
    }
}
