package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.store.Database;
import org.netroot.server.store.VolumeRepository;

class VolumeStoreTest {
    @TempDir Path tmp;

    private static Path randomImage(Path at, int bytes, long seed) throws IOException {
        byte[] b = new byte[bytes];
        new java.util.Random(seed).nextBytes(b);
        return Files.write(at, b);
    }

    private static java.util.List<String> namesIn(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNameHeldForAnImportCannotBeCreatedMeanwhile() throws Exception {
        // before: create ignored the reservation, so the import's link then failed on the created file
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            try (VolumeStore.Reservation importing = store.reserve("v")) {
                var e = assertThrows(IllegalArgumentException.class,
                        () -> store.create("v", 1 << 20, "raw"));
                assertTrue(e.getMessage().contains("is being imported already"),
                        e.getMessage());
                assertTrue(store.find("v").isEmpty());
            }
            assertEquals(1 << 20, store.create("v", 1 << 20).sizeBytes(),
                    "free again once the import let go");
        }
    }

    @Test
    void anImportCopiesToItsOwnPartFileAndASecondImportOfTheNameIsRefusedMeanwhile() throws Exception {
        // before: the copy wrote straight into volumes/v.img (a kill left a half volume with no record)
        Path image = randomImage(tmp.resolve("a.img"), 3 << 20, 1);
        Path other = randomImage(tmp.resolve("b.img"), 1 << 20, 2);
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            Path volumes = tmp.resolve("data").resolve("volumes");
            java.util.List<String> during = new java.util.ArrayList<>();
            java.util.List<String> refused = new java.util.ArrayList<>();
            store.importImage("v", image, 0, (done, total) -> {
                if (done > 0 && during.isEmpty()) {
                    try {
                        during.addAll(namesIn(volumes));
                        store.importImage("v", other, 0);
                    } catch (IllegalArgumentException e) {
                        refused.add(e.getMessage());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return true;
            });
            assertEquals(1, during.size(), "only the part file exists while copying: " + during);
            assertTrue(during.get(0).startsWith(".v.img.part-"), during.toString());
            assertEquals(1, refused.size(), "the second import is refused");
            assertTrue(refused.get(0).contains("is being imported already"), refused.get(0));
            assertEquals(java.util.List.of("v.img"), namesIn(volumes), "the part became the volume");
            assertArrayEquals(Files.readAllBytes(image), Files.readAllBytes(volumes.resolve("v.img")),
                    "the first import's copy is whole");
        }
    }

    @Test
    void aStoppedImportLeavesNothingAndStalePartsGoAtTheNextStart() throws Exception {
        Path image = randomImage(tmp.resolve("a.img"), 3 << 20, 3);
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            Path volumes = tmp.resolve("data").resolve("volumes");
            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> store.importImage("v", image, 0, (done, total) -> done == 0));
            assertEquals(java.util.List.of(), namesIn(volumes));
            assertTrue(store.find("v").isEmpty());
            store.importImage("v", image, 0); // the name is free again
            Files.writeString(volumes.resolve(".w.img.part-1234"), "left by a kill -9");
            Files.writeString(volumes.resolve("keep.part-1"), "not ours");
            assertEquals(1, store.removeStaleParts());
            assertEquals(java.util.List.of("keep.part-1", "v.img"), namesIn(volumes));
        }
    }

    @Test
    void anExportCopiesToItsOwnPartFileAndReplacesTheTargetOnlyWhenComplete() throws Exception {
        // before: every export of a target wrote <target>.part, so two exports wrote into each other
        Path image = randomImage(tmp.resolve("a.img"), 3 << 20, 4);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path target = out.resolve("copy.img");
        Files.writeString(target, "older export");
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            store.importImage("v", image, 0);
            java.util.List<String> during = new java.util.ArrayList<>();
            store.export("v", target, (done, total) -> {
                if (done > 0 && during.isEmpty()) {
                    try {
                        during.addAll(namesIn(out));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return true;
            });
            assertEquals(2, during.size(), during.toString());
            assertTrue(during.get(0).startsWith(".copy.img.part-"), during.toString());
            assertArrayEquals(Files.readAllBytes(image), Files.readAllBytes(target));
            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> store.export("v", out.resolve("stopped.img"), (done, total) -> done == 0));
            assertEquals(java.util.List.of("copy.img"), namesIn(out), "a stopped export leaves nothing");
        }
    }

    @Test
    void createdVolumesAreSparseAndReadWriteThroughTheBlockDevice() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("big", 1L << 30, "raw");
            Path file = store.fileOf(store.require("big"));
            assertEquals(1L << 30, Files.size(file));
            long allocated = Long.parseLong(org.netroot.server.testing.Processes.run(10, "stat", "-c", "%b", file.toString())
                    .stdout().trim()) * 512;
            assertTrue(allocated < (1 << 20), "a new 1 GiB volume takes no space, took " + allocated);
            try (BlockDevice dev = store.open("big", false)) {
                dev.write(4096, ByteBuffer.wrap("marker".getBytes()));
                ByteBuffer back = ByteBuffer.allocate(6);
                dev.read(4096, back);
                assertArrayEquals("marker".getBytes(), back.array());
                assertThrows(IOException.class, () -> dev.read(dev.sizeBytes() - 2, ByteBuffer.allocate(4)));
            }
        }
    }

    @Test
    void badSizesAndNamesAreRefusedWithReasons() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            assertThrows(IllegalArgumentException.class, () -> store.create("v", 1000, "raw"));
            assertThrows(IllegalArgumentException.class, () -> store.create("../evil", 512, "raw"));
            store.create("v", 512, "raw");
            var dup = assertThrows(IllegalArgumentException.class, () -> store.create("v", 512, "raw"));
            assertTrue(dup.getMessage().contains("already exists"));
        }
    }

    @Test
    void growingRecordsTheNewSizeAndAnOpenVolumeSeesIt() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("v", 1 << 20, "raw");
            OpenVolumesTest.Session session = new OpenVolumesTest.Session("iqn.2026-01.org.netroot:initiator:pc1");
            VolumeHandle h = store.openVolumes().attach("v", session).handle();
            java.util.List<Long> heard = new java.util.ArrayList<>();
            h.addListener(heard::add);

            var grown = store.resize("v", 8 << 20, false);
            assertEquals(8 << 20, grown.sizeBytes());
            assertEquals("raw", grown.format());
            assertTrue(grown.allocatedBytes() >= 0 && grown.allocatedBytes() < (1 << 20), "still sparse: " + grown.allocatedBytes());
            assertEquals(8 << 20, store.require("v").sizeBytes(), "the database has the new size");
            assertEquals(8 << 20, Files.size(store.fileOf(store.require("v"))));
            assertEquals(java.util.List.of(8L << 20), heard, "the open volume was told");
            assertEquals(8 << 20, h.device().sizeBytes());
            h.release(session);
        }
        try (Database db = Database.open(tmp)) { // and after a restart
            assertEquals(8 << 20, new VolumeStore(tmp, new VolumeRepository(db)).require("v").sizeBytes());
        }
    }

    @Test
    void shrinkingNeedsConfirmationAndNoClientAttached() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("v", 8 << 20, "raw");
            var unconfirmed = assertThrows(IllegalArgumentException.class, () -> store.resize("v", 4 << 20, false));
            assertEquals("shrinking volume v from 8388608 to 4194304 bytes destroys the data past the new end:"
                    + " pass --shrink to confirm", unconfirmed.getMessage());

            OpenVolumesTest.Session session = new OpenVolumesTest.Session("iqn.2026-01.org.netroot:initiator:pc1");
            VolumeHandle h = store.openVolumes().attach("v", session).handle();
            var inUse = assertThrows(IllegalArgumentException.class, () -> store.resize("v", 4 << 20, true));
            assertEquals("volume v is in use by client pc1 (iqn.2026-01.org.netroot:initiator:pc1): shut it down first,"
                    + " then shrink it", inUse.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.resize("v", 4 << 20, false),
                    "in use wins: --shrink would not help");
            assertEquals(8 << 20, store.require("v").sizeBytes(), "nothing changed");
            assertEquals(8 << 20, Files.size(store.fileOf(store.require("v"))));
            h.release(session);

            assertEquals(4 << 20, store.resize("v", 4 << 20, true).sizeBytes());
            assertEquals(4 << 20, store.require("v").sizeBytes());
            assertEquals(4 << 20, Files.size(store.fileOf(store.require("v"))));
        }
    }

    /** Sharing is stored, survives reopening, and changes only while no one has the volume open. */
    @Test
    void aVolumeIsSharedOnlyWhileClosedAndThenTakesASecondInitiator() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("cluster", 1 << 20, "raw");
            assertTrue(!store.require("cluster").shared(), "volumes start with one writer");
            OpenVolumesTest.Session node1 = new OpenVolumesTest.Session("iqn.x:node1");
            OpenVolumesTest.Session node2 = new OpenVolumesTest.Session("iqn.x:node2");
            VolumeHandle h = store.openVolumes().attach("cluster", node1).handle();
            assertEquals(OpenVolumes.Claim.BUSY, store.openVolumes().attach("cluster", node2).claim());
            var inUse = assertThrows(IllegalArgumentException.class, () -> store.share("cluster", true));
            assertEquals("volume cluster is in use by client pc1 (iqn.x:node1): shut it down first, then share it",
                    inUse.getMessage());
            h.release(node1);

            assertTrue(store.share("cluster", true).shared());
            h = store.openVolumes().attach("cluster", node1).handle();
            assertEquals(OpenVolumes.Claim.GRANTED, store.openVolumes().attach("cluster", node2).claim());
            assertThrows(IllegalArgumentException.class, () -> store.share("cluster", false), "in use: stays shared");
            h.release(node1);
            h.release(node2);
        }
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            assertTrue(store.require("cluster").shared(), "stored");
            assertTrue(store.list().get(0).shared(), "and listed");
            assertTrue(!store.share("cluster", false).shared());
        }
    }

    @Test
    void resizeRefusesBadSizesAndUnknownVolumes() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("v", 1 << 20, "raw");
            for (long bad : new long[] {0, -512, (1 << 20) + 1}) {
                var e = assertThrows(IllegalArgumentException.class, () -> store.resize("v", bad, true));
                assertTrue(e.getMessage().contains("positive multiple of 512"), e.getMessage());
            }
            var e = assertThrows(IllegalArgumentException.class, () -> store.resize("nope", 1 << 20, false));
            assertEquals("no volume named nope", e.getMessage());
            assertEquals(1 << 20, store.resize("v", 1 << 20, false).sizeBytes(), "the same size is a no-op");
        }
    }

    @Test
    void theListingCarriesFormatAndRealDiskUsage() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("empty", 64 << 20, "raw");
            store.importImage("full", java.nio.file.Files.write(tmp.resolve("img"), RawFileBlockDeviceTest.pattern(1 << 20, 7)), 0);
            var byName = new java.util.HashMap<String, org.netroot.server.api.Volume>();
            for (var v : store.list()) byName.put(v.name(), v);
            assertEquals("raw", byName.get("empty").format());
            assertTrue(byName.get("empty").allocatedBytes() >= 0 && byName.get("empty").allocatedBytes() < (64 << 10),
                    "an empty volume occupies (almost) nothing: " + byName.get("empty").allocatedBytes());
            assertTrue(byName.get("full").allocatedBytes() >= (1 << 20), "1 MiB of data: " + byName.get("full").allocatedBytes());
        }
    }

    @Test
    void aCopyReportsProgressAndOneStoppedHalfWayLeavesNothingBehind() throws Exception {
        Path image = Files.write(tmp.resolve("img"), new byte[5 << 20]);
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            java.util.List<Long> seen = new java.util.ArrayList<>();
            store.importImage("v1", image, 0, (done, total) -> {
                assertEquals(5 << 20, total);
                seen.add(done);
                return true;
            });
            assertEquals(java.util.List.of(0L, 1L << 20, 2L << 20, 3L << 20, 4L << 20, 5L << 20), seen, "every MiB");

            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> store.importImage("v2", image, 0, (done, total) -> done < (2 << 20)));
            assertTrue(store.find("v2").isEmpty(), "no volume");
            assertTrue(Files.notExists(tmp.resolve("data/volumes/v2.img")), "no half file");

            Path out = tmp.resolve("out.img");
            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> store.export("v1", out, (done, total) -> done == 0));
            assertTrue(Files.notExists(out) && Files.notExists(tmp.resolve("out.img.part")), "no half export");
        }
    }

    /**
     * Review finding 1: removing a volume a client has open used to delete the row and the file
     * under the client's feet; a volume created again under its name then served the old handle.
     */
    @Test
    void aVolumeInUseIsNotRemovedAndOneCreatedAgainIsANewDisk() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("v", 1 << 20, "raw");
            OpenVolumesTest.Session session = new OpenVolumesTest.Session("iqn.2026-01.org.netroot:initiator:pc1");
            VolumeHandle h = store.openVolumes().attach("v", session).handle();
            var inUse = assertThrows(IllegalArgumentException.class, () -> store.remove("v"));
            assertEquals("volume v is in use by client pc1 (iqn.2026-01.org.netroot:initiator:pc1): shut it down first,"
                    + " then remove it", inUse.getMessage());
            assertTrue(store.find("v").isPresent(), "the volume is kept");
            assertTrue(Files.exists(store.fileOf(store.require("v"))), "and its file");
            h.release(session);

            store.remove("v");
            assertTrue(store.find("v").isEmpty());
            store.create("v", 8 << 20, "raw");
            OpenVolumesTest.Session again = new OpenVolumesTest.Session("iqn.2026-01.org.netroot:initiator:pc1");
            OpenVolumes.Attachment a = store.openVolumes().attach("v", again);
            assertEquals(OpenVolumes.Claim.GRANTED, a.claim());
            assertEquals(8 << 20, a.handle().device().sizeBytes(), "the new disk, not the deleted one");
            a.handle().release(again);
        }
    }

    /**
     * Review finding 6: the database said 8 MiB while the file had 64 MiB (a crash between the two
     * updates); asking for 32 MiB was taken for a grow and cut the file without --shrink.
     */
    @Test
    void growOrShrinkIsDecidedOnTheFilesRealSize() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("v", 8 << 20, "raw");
            Path file = store.fileOf(store.require("v"));
            try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(64 << 20);
            }
            var e = assertThrows(IllegalArgumentException.class, () -> store.resize("v", 32 << 20, false));
            assertEquals("shrinking volume v from 67108864 to 33554432 bytes destroys the data past the new end:"
                    + " pass --shrink to confirm", e.getMessage());
            assertEquals(64 << 20, Files.size(file), "the file keeps its data");

            assertEquals(64 << 20, store.resize("v", 64 << 20, false).sizeBytes(), "the same size records the real one");
            assertEquals(64 << 20, store.require("v").sizeBytes());
        }
    }

    /** Review finding 6: when the database refuses the new size, the file gets its old size back. */
    @Test
    void aFailedDatabaseUpdateGivesTheFileItsOldSizeBack() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("v", 8 << 20, "raw");
            Path file = store.fileOf(store.require("v"));
            try (var c = db.connection(); var st = c.createStatement()) {
                st.execute("ALTER TABLE volume ADD CONSTRAINT at_most_16m CHECK (size_bytes <= 16777216)");
            }
            assertThrows(RuntimeException.class, () -> store.resize("v", 32 << 20, false));
            assertEquals(8 << 20, Files.size(file), "the grow was rolled back");
            assertEquals(8 << 20, store.require("v").sizeBytes());

            OpenVolumesTest.Session session = new OpenVolumesTest.Session("iqn.2026-01.org.netroot:initiator:pc1");
            VolumeHandle h = store.openVolumes().attach("v", session).handle();
            java.util.List<Long> heard = new java.util.ArrayList<>();
            h.addListener(heard::add);
            assertThrows(RuntimeException.class, () -> store.resize("v", 32 << 20, false));
            assertEquals(8 << 20, h.device().sizeBytes(), "the open device is back at its size");
            assertEquals(8 << 20, Files.size(file));
            assertEquals(java.util.List.of(32L << 20, 8L << 20), heard, "its users heard both changes");
            h.release(session);
        }
    }
}
