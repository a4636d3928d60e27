package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Client;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.VolumeRepository;

/**
 * Shared volumes and several initiator names, as a user types them: `client add/edit
 * --initiator-iqn` (repeatable), `volume create/edit --shared`, and what the lists show. The
 * CLI opens the data folder itself (no server runs); the database is read back after.
 */
class SharedVolumesCliTest {
    @TempDir Path tmp;

    private CliRun cli(String... args) {
        return CliRun.of(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data", tmp.toString())).toArray(String[]::new));
    }

    private CliRun ok(String... args) {
        CliRun r = cli(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    private CliRun refused(String... args) {
        CliRun r = cli(args);
        assertTrue(r.code() != 0, String.join(" ", args) + " should be refused: " + r.out());
        return r;
    }

    @Test
    void aClusterDiskIsSharedByTwoClientsEachWithItsInitiatorNames() throws Exception {
        assertTrue(ok("volume", "create", "quorum", "--size", "64M", "--format", "raw", "--shared").out()
                .contains("created volume quorum (64 MiB, raw, shared)"));
        ok("volume", "create", "solo", "--size", "64M");
        ok("client", "add", "node1", "--mac", "52:54:00:00:00:01", "--volume", "quorum",
                "--initiator-iqn", "iqn.1991-05.com.microsoft:node1", "--initiator-iqn", "iqn.2026-01.org.netroot:initiator:node1");
        ok("client", "add", "node2", "--mac", "52:54:00:00:00:02", "--volume", "quorum");
        ok("client", "add", "pc", "--mac", "52:54:00:00:00:03", "--volume", "solo");
        String second = refused("client", "add", "pc2", "--mac", "52:54:00:00:00:04", "--volume", "solo").err();
        assertTrue(second.contains("volume solo is already the disk of client pc") && second.contains("--shared"), second);

        String volumes = ok("volume", "list").out();
        assertTrue(volumes.lines().anyMatch(l -> l.startsWith("quorum") && l.contains("shared") && l.contains("node1,node2")),
                volumes);
        assertTrue(volumes.lines().anyMatch(l -> l.startsWith("solo") && !l.contains("shared")), volumes);
        String clients = ok("client", "list").out();
        assertTrue(clients.contains("initiators=iqn.1991-05.com.microsoft:node1,iqn.2026-01.org.netroot:initiator:node1"),
                clients);

        String unshare = refused("volume", "edit", "quorum", "--no-shared").err();
        assertTrue(unshare.contains("volume quorum is the disk of clients node1, node2"), unshare);
        String twice = refused("client", "edit", "node2", "--initiator-iqn", "iqn.x:a", "--initiator-iqn", "IQN.X:A").err();
        assertTrue(twice.contains("initiator IQN IQN.X:A is listed twice"), twice);

        ok("client", "edit", "node2", "--initiator-iqn", "iqn.1991-05.com.microsoft:node2", "--initiator-iqn", "iqn.x:extra");
        String taken = refused("client", "edit", "node1", "--volume", "solo").err();
        assertTrue(taken.contains("volume solo is already the disk of client pc"), taken);
        try (Database db = Database.open(tmp)) {
            ClientRepository repo = new ClientRepository(db);
            assertEquals(List.of("iqn.1991-05.com.microsoft:node2", "iqn.x:extra"), repo.byName("node2").orElseThrow().initiatorIqns());
            Client node1 = repo.byName("node1").orElseThrow();
            assertEquals("quorum", node1.volumeName());
            assertTrue(new VolumeRepository(db).byName("quorum").orElseThrow().shared());
        }
    }
}
