package org.netroot.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Lease;

class StoreTest {
    @TempDir Path tmp;

    @Test
    void aDataFolderWeCreateIsPrivateBecauseItHoldsSecretsAndDisks() throws Exception {
        Path data = tmp.resolve("new-data");
        try (Database ignored = Database.open(data)) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(data)));
        }
    }

    /** A client's initiator names after the first live in their own table, in order, and go with it. */
    @Test
    void aClientKeepsSeveralInitiatorNamesInOrder() {
        try (Database db = Database.open(tmp)) {
            new VolumeRepository(db).add(new org.netroot.server.api.Volume("disk", 1 << 20, "disk.img", Instant.now()));
            ClientRepository clients = new ClientRepository(db);
            clients.add(org.netroot.server.api.Client.sanboot("pc1", "52:54:00:00:00:01", "disk")
                    .withInitiatorIqns(List.of("iqn.a:ipxe", "iqn.b:windows", "iqn.c:node2")));
            clients.add(org.netroot.server.api.Client.sanboot("pc2", "52:54:00:00:00:02", null));
            assertEquals(List.of("iqn.a:ipxe", "iqn.b:windows", "iqn.c:node2"),
                    clients.byName("pc1").orElseThrow().initiatorIqns());
            assertEquals("iqn.a:ipxe", clients.byMac("52:54:00:00:00:01").orElseThrow().initiatorIqn(), "iPXE's first");
            clients.update(clients.byName("pc1").orElseThrow().withInitiatorIqns(List.of("iqn.c:node2", "iqn.a:ipxe")));
        }
        try (Database db = Database.open(tmp)) {
            ClientRepository clients = new ClientRepository(db);
            assertEquals(List.of(List.of("iqn.c:node2", "iqn.a:ipxe"), List.of("iqn.2026-01.org.netroot:initiator:pc2")),
                    clients.list().stream().map(org.netroot.server.api.Client::initiatorIqns).toList());
            assertEquals(List.of("iqn.c:node2", "iqn.a:ipxe"),
                    db.clientDirectory().byName("pc1").orElseThrow().initiatorIqns(), "the directory the protocols read");
            assertTrue(clients.remove("pc1"));
            clients.add(org.netroot.server.api.Client.sanboot("pc1", "52:54:00:00:00:01", null));
            assertEquals(List.of("iqn.2026-01.org.netroot:initiator:pc1"), clients.byName("pc1").orElseThrow().initiatorIqns(),
                    "a removed client's names went with it");
        }
    }

    /** A client's boot mode and the options of every mode it was given survive reopening, in the directory too. */
    @Test
    void aClientKeepsItsBootModeAndOptions() {
        var options = org.netroot.server.api.BootOptions.NONE
                .withKernel(new org.netroot.server.api.KernelBoot("vmlinuz", "initrd.img", "debian-iscsi console=ttyS0"))
                .withMenu(new org.netroot.server.api.MenuBoot(7, "kernel"))
                .withInstall(new org.netroot.server.api.InstallBoot("debian.iso", null, null, true));
        try (Database db = Database.open(tmp)) {
            ClientRepository clients = new ClientRepository(db);
            clients.add(org.netroot.server.api.Client.sanboot("pc1", "52:54:00:00:00:01", null)
                    .withBoot(org.netroot.server.api.BootMode.MENU, options));
            clients.add(org.netroot.server.api.Client.sanboot("pc2", "52:54:00:00:00:02", null));
        }
        try (Database db = Database.open(tmp)) {
            var pc1 = new ClientRepository(db).byName("pc1").orElseThrow();
            assertEquals(org.netroot.server.api.BootMode.MENU, pc1.bootMode());
            assertEquals(options, pc1.boot());
            assertEquals(options, db.clientDirectory().byName("pc1").orElseThrow().boot());
            var pc2 = new ClientRepository(db).byName("pc2").orElseThrow();
            assertEquals(org.netroot.server.api.BootMode.SANBOOT, pc2.bootMode());
            assertTrue(pc2.boot().none());
            new ClientRepository(db).update(pc1.withBoot(org.netroot.server.api.BootMode.LOCAL, null));
            assertEquals(org.netroot.server.api.BootMode.LOCAL, new ClientRepository(db).byName("pc1").orElseThrow().bootMode());
            assertEquals(options, new ClientRepository(db).byName("pc1").orElseThrow().boot(), "switching keeps the options");
        }
    }

    @Test
    void leasesMoveWithTheirMacAndSurviveReopening() {
        Instant later = Instant.now().plusSeconds(3600);
        try (Database db = Database.open(tmp)) {
            LeaseRepository leases = new LeaseRepository(db);
            leases.save(new Lease("52:54:00:00:00:01", "198.18.0.100", later, "pc1"));
            leases.save(new Lease("52:54:00:00:00:01", "198.18.0.101", later, "pc1"));
            leases.save(new Lease("52:54:00:00:00:02", "198.18.0.100", later, null));
        }
        try (Database db = Database.open(tmp)) {
            LeaseRepository leases = new LeaseRepository(db);
            assertEquals("198.18.0.101", leases.byMac("52:54:00:00:00:01").orElseThrow().ip());
            assertEquals("52:54:00:00:00:02", leases.byIp("198.18.0.100").orElseThrow().mac());
            assertEquals(2, leases.removeExpired(later.plusSeconds(1)));
            assertTrue(leases.list().isEmpty());
        }
    }

    @Test
    void mergeTakesOverAnAddressWhoseReleaseNeverReachedTheStore() {
        // REVIEW3 #2: A's release was dropped from memory but its delete failed; the pool then gives
        // the address to B and merges (it knows of no other holder): the stale row must not refuse it
        Instant later = Instant.now().plusSeconds(3600);
        try (Database db = Database.open(tmp)) {
            LeaseRepository leases = new LeaseRepository(db);
            leases.save(new Lease("52:54:00:00:00:01", "198.18.0.100", later, "a"));
            leases.merge(new Lease("52:54:00:00:00:02", "198.18.0.100", later, "b"));
            assertEquals("52:54:00:00:00:02", leases.byIp("198.18.0.100").orElseThrow().mac());
            assertTrue(leases.byMac("52:54:00:00:00:01").isEmpty());
            assertEquals(1, leases.list().size());
        }
    }

    @Test
    void eventsComeBackInOrderWithTheirDetails() {
        try (Database db = Database.open(tmp)) {
            BootEventRepository events = new BootEventRepository(db);
            BootEvent a = events.insert(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "arch=bios"));
            BootEvent b = events.insert(BootEvent.transfer("52:54:00:00:00:01", BootEventType.BOOT_FILE_SENT,
                    "tftp undionly.kpxe", 120, 70_000));
            events.insert(BootEvent.of(null, BootEventType.ERROR, "x".repeat(5000)));
            List<BootEvent> all = events.after(0, 10);
            assertEquals(List.of(a.id(), b.id()), all.subList(0, 2).stream().map(BootEvent::id).toList());
            assertEquals(120L, all.get(1).durationMs());
            assertEquals(70_000L, all.get(1).bytes());
            assertEquals(2048, all.get(2).detail().length(), "long details are cut, not refused");
            assertEquals(List.of(b.id()), events.after(a.id(), 1).stream().map(BootEvent::id).toList());
            assertEquals(2, events.forMac("52:54:00:00:00:01").size());
        }
    }

    @Test
    void duplicateNamesAreWordedForTheUser() {
        try (Database db = Database.open(tmp)) {
            VolumeRepository volumes = new VolumeRepository(db);
            volumes.add(new org.netroot.server.api.Volume("v1", 512, "v1.img", Instant.now()));
            var e = assertThrows(StoreException.class,
                    () -> volumes.add(new org.netroot.server.api.Volume("v1", 512, "v1.img", Instant.now())));
            assertTrue(e.getMessage().startsWith("already exists"), e.getMessage());
        }
    }
}
