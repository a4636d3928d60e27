package org.netroot.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 file database in the data folder, its schema brought up to date by Flyway
 * migrations (db/migration) on open. Only one process may open it (H2's file lock): a second one
 * waits a few seconds for a command to finish and is told which server or command holds it
 * ({@link DatabaseOwner}).
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration LOCK_POLL = Duration.ofMillis(200);

    private final JdbcConnectionPool pool;
    private final Path file;
    private final ClientDirectory clients = new ClientDirectory();
    private final Path dataDir;

    private Database(JdbcConnectionPool pool, Path file, Path dataDir) {
        this.pool = pool;
        this.file = file;
        this.dataDir = dataDir;
    }

    /** How long a process waits for another to let go of the database before it gives up. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    /** Opens the database for a command (waits {@link #LOCK_WAIT} while another holds it). */
    public static Database open(Path dataDir) {
        return open(dataDir, DatabaseOwner.COMMAND, LOCK_WAIT);
    }

    /**
     * Opens the database as {@code role} ({@link DatabaseOwner#SERVER} or {@link DatabaseOwner#COMMAND}).
     * While another Netroot command holds it, waits up to {@code lockWait} (a command finishes in a
     * moment); a Netroot server holding it is reported at once; either way the error names the holder.
     */
    public static Database open(Path dataDir, String role, Duration lockWait) {
        try {
            createPrivate(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create data folder " + dataDir + ": " + e.getMessage(), e);
        }
        Path base = dataDir.toAbsolutePath().resolve("netroot");
        String url = "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE";
        long deadline = System.nanoTime() + lockWait.toNanos();
        boolean toldWaiting = false;
        while (true) {
            JdbcConnectionPool pool = JdbcConnectionPool.create(url, "netroot", "");
            pool.setMaxConnections(16);
            try (Connection ignored = pool.getConnection()) {
                // opened: the file lock is ours
                DatabaseOwner.write(dataDir, role);
                try {
                    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
                } catch (RuntimeException e) {
                    DatabaseOwner.remove(dataDir);
                    pool.dispose();
                    throw e;
                }
                Database db = new Database(pool, Path.of(base + ".mv.db"), dataDir);
                db.clients.load(new ClientRepository(db).list());
                return db;
            } catch (SQLException e) {
                pool.dispose();
                if (e.getErrorCode() != org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    throw new StoreException("cannot open database in " + dataDir + ": " + e.getMessage(), e);
                }
                Optional<DatabaseOwner> owner = DatabaseOwner.read(dataDir);
                // a server that published its control API runs: use it; one that did not is starting or
                // stopping (it takes control.json away first) and lets go in a moment: wait as for a command
                if (owner.filter(DatabaseOwner::isServer).isPresent()
                        && org.netroot.server.api.ControlEndpoint.read(dataDir).isPresent()) {
                    throw new StoreException(owner.get().describe() + " already runs for " + dataDir
                            + ": use it (the other commands talk to it), or stop it first", e);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new StoreException(owner.map(o -> o.describe() + " still has the database in " + dataDir
                                    + " open after " + lockWait.toSeconds() + " s: let it finish, then try again")
                            .orElse("the database in " + dataDir + " is in use by another process (no Netroot server"
                                    + " or command we know of; an H2 console?): close it, then try again"), e);
                }
                if (!toldWaiting) {
                    log.info("the database in {} is open in {}; waiting up to {} s for it", dataDir,
                            owner.map(DatabaseOwner::describe).orElse("another process"), lockWait.toSeconds());
                    toldWaiting = true;
                }
                try {
                    Thread.sleep(LOCK_POLL.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted while waiting for the database in " + dataDir, ie);
                }
            }
        }
    }

    /**
     * The data folder holds CHAP secrets and every client's disk: a folder we create is the
     * server user's alone (0700). A folder the user chose is left as it is.
     */
    public static void createPrivate(Path dir) throws java.io.IOException {
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

    /**
     * Forces every committed change into the database file and the file to the disk. H2's MVStore
     * (2.3) keeps commits in memory and writes them WRITE_DELAY (500 ms) later, without fsync;
     * CHECKPOINT SYNC is MVStore.commit() (writes the pending chunk) plus FileChannel.force(). It
     * costs one chunk write and one fsync, so the {@link StoreWriter} calls it once per batch.
     */
    public void sync() {
        try (Connection c = connection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new StoreException("could not force the database to disk: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        DatabaseOwner.remove(dataDir); // before the lock goes: a later owner's file is never removed
        pool.dispose();
    }
}
