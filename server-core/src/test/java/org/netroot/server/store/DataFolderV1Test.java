package org.netroot.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.DiscoveredMachine;
import org.netroot.server.api.Lease;
import org.netroot.server.api.Volume;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.VolumeStore;

/**
 * A data folder written by the first release (schema V1, fixtures/datafolder-v1, see its README)
 * opens with today's code: the migrations since V1 run on it and nothing the user had is lost.
 * Every later release must keep this test passing unchanged (and add its own fixture).
 */
class DataFolderV1Test {
    @TempDir
    Path tmp;

    @Test
    void aV1DataFolderOpensWithEverythingInIt() throws Exception {
        Path data = copyOfFixture();
        assertEquals(List.of("1"), appliedMigrations(data), "the fixture is a V1 data folder");
        try (Database db = Database.open(data)) {
            assertEquals(migrationsShipped(), appliedMigrations(db), "every migration since V1 ran over it");

            Map<String, Client> clients = byName(new ClientRepository(db).list(), Client::name);
            assertEquals(List.of("pc1", "pc2"), clients.keySet().stream().sorted().toList());
            Client pc1 = clients.get("pc1");
            assertEquals("52:54:00:10:00:01", pc1.mac());
            assertEquals("disk-pc1", pc1.volumeName());
            assertEquals(BootMode.SANBOOT, pc1.bootMode());
            assertEquals("iqn.2026-01.org.netroot:initiator:pc1", pc1.initiatorIqn());
            assertEquals("pc1-secret-1234", pc1.chapSecret());
            assertNull(pc1.mutualChapSecret());
            Client pc2 = clients.get("pc2");
            assertEquals("pc2user", pc2.chapUser());
            assertEquals("pc2-secret-5678", pc2.chapSecret());
            assertEquals("netroot-target", pc2.mutualChapUser());
            assertEquals("target-secret-90", pc2.mutualChapSecret());
            assertEquals("198.18.10.42", pc2.reservedIp());

            VolumeStore volumes = new VolumeStore(data, new VolumeRepository(db));
            Map<String, Volume> byName = byName(volumes.list(), Volume::name);
            assertEquals(64 * 1024, byName.get("disk-pc1").sizeBytes());
            assertEquals(128 * 1024, byName.get("disk-pc2").sizeBytes());
            for (Volume v : byName.values()) {
                assertEquals(v.sizeBytes(), Files.size(volumes.fileOf(v)), "the file of " + v.name());
            }
            try (BlockDevice disk = volumes.open("disk-pc1", true)) {
                ByteBuffer lba1 = ByteBuffer.allocate(DataFolderFixtureWriter.DISK_MARKER.length());
                disk.read(512, lba1);
                assertEquals(DataFolderFixtureWriter.DISK_MARKER, new String(lba1.array(), StandardCharsets.US_ASCII),
                        "what the client wrote to its disk");
            }

            Map<String, Lease> leases = byName(new LeaseRepository(db).list(), Lease::mac);
            assertEquals("198.18.10.100", leases.get("52:54:00:10:00:01").ip());
            assertEquals("pc1", leases.get("52:54:00:10:00:01").hostname());
            assertEquals(DataFolderFixtureWriter.LEASE_EXPIRY, leases.get("52:54:00:10:00:01").expiresAt());
            assertEquals("198.18.10.42", leases.get("52:54:00:10:00:02").ip());

            List<BootEvent> events = new BootEventRepository(db).after(0, 100);
            assertEquals(List.of(BootEventType.DHCP_OFFER, BootEventType.DHCP_ACK, BootEventType.SCRIPT_SERVED,
                            BootEventType.ISCSI_LOGIN, BootEventType.ISCSI_FIRST_READ, BootEventType.ERROR),
                    events.stream().map(BootEvent::type).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), events.stream().map(BootEvent::id).toList());
            assertEquals(DataFolderFixtureWriter.FIRST_EVENT, events.getFirst().at());
            BootEvent read = events.get(4);
            assertEquals("pc1", read.clientName());
            assertEquals(3L, read.durationMs());
            assertEquals(512L, read.bytes());
            assertNull(events.getLast().mac());
            assertEquals(5, new BootEventRepository(db).forMac("52:54:00:10:00:01").size());

            // V2: the volumes of V1 are raw files
            assertEquals(List.of(Volume.RAW, Volume.RAW),
                    new VolumeRepository(db).list().stream().map(Volume::format).toList());
            // V3: machines seen asking to boot can be kept
            Instant seen = Instant.parse("2026-02-01T10:00:00Z");
            var discovered = new DiscoveredMachineRepository(db);
            discovered.seen(new DiscoveredMachine("52:54:00:10:00:09", 7, "PXEClient:Arch:00007", "eth0", seen, seen));
            assertEquals(List.of("52:54:00:10:00:09"), discovered.list().stream().map(DiscoveredMachine::mac).toList());
            // V4: where each MAC was last seen can be kept
            var peers = new PeerAddressRepository(db);
            peers.save(new PeerAddressRepository.PeerAddress("52:54:00:10:00:01", "198.18.10.100", seen));
            assertEquals(List.of(new PeerAddressRepository.PeerAddress("52:54:00:10:00:01", "198.18.10.100", seen)),
                    peers.all());
        }
        // and it opens again once migrated (a second start after the upgrade)
        try (Database again = Database.open(data)) {
            assertEquals(2, new ClientRepository(again).list().size());
        }
    }

    private Path copyOfFixture() throws Exception {
        Path fixture = fixture();
        Path data = tmp.resolve("data");
        try (Stream<Path> all = Files.walk(fixture)) {
            for (Path p : all.toList()) {
                Path target = data.resolve(fixture.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return data;
    }

    private static Path fixture() throws URISyntaxException {
        var url = DataFolderV1Test.class.getResource("/fixtures/datafolder-v1/netroot.mv.db");
        assertTrue(url != null, "fixtures/datafolder-v1 is not on the test classpath");
        return Path.of(url.toURI()).getParent();
    }

    private static List<String> appliedMigrations(Database db) throws Exception {
        try (Connection c = db.connection()) {
            return appliedMigrations(c);
        }
    }

    /** The history of a data folder not opened by {@link Database} (read only: Flyway does not run). */
    private static List<String> appliedMigrations(Path data) throws Exception {
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("netroot") + ";ACCESS_MODE_DATA=r";
        try (Connection c = DriverManager.getConnection(url, "netroot", "")) {
            return appliedMigrations(c);
        }
    }

    private static List<String> appliedMigrations(Connection c) throws Exception {
        // the row without a version is Flyway's note that it created its history table
        try (ResultSet r = c.createStatement().executeQuery("SELECT \"version\" FROM \"flyway_schema_history\""
                + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> out = new java.util.ArrayList<>();
            while (r.next()) out.add(r.getString(1));
            return out;
        }
    }

    /**
     * The versions of every migration in the sources' db/migration (V&lt;n&gt;__*.sql), lowest first,
     * read from the folder so that a new one is covered without editing this test.
     */
    private static List<String> migrationsShipped() throws Exception {
        Path folder = Path.of("src/main/resources/db/migration"); // Surefire runs in the module's folder
        assertTrue(Files.isDirectory(folder), "no " + folder.toAbsolutePath() + ": run from server-core");
        Pattern name = Pattern.compile("V(\\d+)__.+\\.sql");
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> name.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted()
                    .map(String::valueOf)
                    .toList();
        }
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, Function.identity()));
    }
}
