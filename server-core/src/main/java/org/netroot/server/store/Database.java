package org.netroot.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 file database in the data folder, its schema brought up to date by Flyway
 * migrations (db/migration) on open. Only one process may open it: a second one is told the
 * server is already running.
 */
public final class Database implements AutoCloseable {
    private final JdbcConnectionPool pool;
    private final Path file;
    private final ClientDirectory clients = new ClientDirectory();

    private Database(JdbcConnectionPool pool, Path file) {
        this.pool = pool;
        this.file = file;
    }

    public static Database open(Path dataDir) {
        try {
            createPrivate(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create data folder " + dataDir + ": " + e.getMessage(), e);
        }
        Path base = dataDir.toAbsolutePath().resolve("netroot");
        String url = "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "netroot", "");
        pool.setMaxConnections(16);
        try (Connection ignored = pool.getConnection()) {
            // opened: the file lock is ours
        } catch (SQLException e) {
            pool.dispose();
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new StoreException("the database in " + dataDir + " is in use by another Netroot process"
                        + " (a running server?): stop it, or use the CLI while it runs", e);
            }
            throw new StoreException("cannot open database in " + dataDir + ": " + e.getMessage(), e);
        }
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        Database db = new Database(pool, Path.of(base + ".mv.db"));
        db.clients.load(new ClientRepository(db).list());
        return db;
    }

    /**
     * The data folder holds CHAP secrets and every client's disk: a folder we create is the
     * server user's alone (0700). A folder the user chose is left as it is.
     */
    static void createPrivate(Path dir) throws java.io.IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** The clients of this database in memory, kept current by every {@link ClientRepository} over it. */
    public ClientDirectory clientDirectory() {
        return clients;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
