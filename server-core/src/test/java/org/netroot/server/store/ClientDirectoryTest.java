package org.netroot.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;

/** The in-memory client directory over a real H2 database. */
class ClientDirectoryTest {
    @TempDir Path data;

    private static Client client(String name, String mac) {
        return new Client(name, mac, null, BootMode.SANBOOT, null, null, null, null, null, null);
    }

    @Test
    void everyRepositoryWriteIsSeenAtOnceByMacNameAndTarget() {
        try (Database db = Database.open(data)) {
            ClientDirectory directory = db.clientDirectory();
            ClientRepository control = new ClientRepository(db); // e.g. the control API's repository
            control.add(client("pc1", "52-54-00-00-00-01"));
            assertEquals("pc1", directory.byMac("52:54:00:00:00:01").orElseThrow().name());
            assertEquals("pc1", directory.byMac("52-54-00-00-00-01").orElseThrow().name(), "any MAC spelling");
            assertEquals("pc1", directory.byName("pc1").orElseThrow().name());
            assertEquals("pc1", directory.byTargetIqn("IQN.2026-01.org.netroot:PC1").orElseThrow().name(),
                    "IQNs compare case-insensitively");
            assertTrue(directory.byMac("not a mac").isEmpty());

            new ClientRepository(db).add(client("pc2", "52:54:00:00:00:02"));
            assertEquals(List.of("pc1", "pc2"), directory.all().stream().map(Client::name).toList());

            assertTrue(control.remove("pc1"));
            assertTrue(directory.byMac("52:54:00:00:00:01").isEmpty());
            assertTrue(directory.byName("pc1").isEmpty());
            assertTrue(directory.byTargetIqn("iqn.2026-01.org.netroot:pc1").isEmpty());
            assertEquals(List.of("pc2"), directory.all().stream().map(Client::name).toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheDirectoryAsTheTableIs() {
        try (Database db = Database.open(data)) {
            ClientRepository clients = new ClientRepository(db);
            clients.add(client("pc1", "52:54:00:00:00:01"));
            assertThrows(StoreException.class, () -> clients.add(client("pc9", "52:54:00:00:00:01")), "MAC taken");
            assertTrue(db.clientDirectory().byName("pc9").isEmpty());
            assertEquals("pc1", db.clientDirectory().byMac("52:54:00:00:00:01").orElseThrow().name());
        }
    }

    @Test
    void theDirectoryIsLoadedWhenTheDatabaseOpens() {
        try (Database db = Database.open(data)) {
            new ClientRepository(db).add(client("pc1", "52:54:00:00:00:01"));
        }
        try (Database db = Database.open(data)) {
            assertEquals("pc1", db.clientDirectory().byMac("52:54:00:00:00:01").orElseThrow().name());
        }
    }

    @Test
    void anEditReplacesTheClientUnderEveryKey() {
        ClientDirectory directory = ClientDirectory.of(List.of(client("pc1", "52:54:00:00:00:01")));
        directory.put(client("pc1", "52:54:00:00:00:11")); // what ClientRepository.update calls after its UPDATE
        assertTrue(directory.byMac("52:54:00:00:00:01").isEmpty(), "the old MAC is gone");
        assertEquals("pc1", directory.byMac("52:54:00:00:00:11").orElseThrow().name());
        assertEquals(1, directory.all().size());
    }
}
