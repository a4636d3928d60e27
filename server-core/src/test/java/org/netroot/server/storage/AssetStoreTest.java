package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.store.AssetRepository;
import org.netroot.server.store.Database;

/** The asset library's files: copied whole with their checksum, or not at all. */
class AssetStoreTest {
    @TempDir Path tmp;

    private Path file(String name, int size, int seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Files.write(tmp.resolve(name), b);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anAddCopiesTheFileRecordsItsSizeAndChecksumAndSurvivesReopening() throws Exception {
        Path source = file("initrd.img", 3 * (1 << 20) + 5, 1);
        List<long[]> progress = new ArrayList<>();
        Path data = tmp.resolve("data");
        try (Database db = Database.open(data)) {
            AssetStore store = new AssetStore(data, new AssetRepository(db));
            Asset a;
            try (AutoCloseable claim = store.reserve("initrd")) {
                a = store.add("initrd", null, source, (done, total) -> progress.add(new long[] {done, total}));
            }
            assertEquals(AssetKind.INITRD, a.kind(), "told by the file's name");
            assertEquals(Files.size(source), a.sizeBytes());
            assertEquals(sha256(Files.readAllBytes(source)), a.sha256());
            assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(data.resolve("assets/initrd")));
            assertEquals(a.sizeBytes(), progress.getLast()[0]);
            assertTrue(progress.size() >= 4, "progress every MiB: " + progress.size());
        }
        try (Database db = Database.open(data)) {
            AssetStore store = new AssetStore(data, new AssetRepository(db));
            assertEquals(List.of("initrd"), store.list().stream().map(Asset::name).toList());
            store.remove("initrd");
            assertTrue(store.list().isEmpty());
            assertFalse(Files.exists(data.resolve("assets/initrd")), "the file goes with it");
        }
    }

    @Test
    void aCancelledAddLeavesNothingAndAStalePartFileIsRemovedAtTheNextStart() throws Exception {
        Path source = file("big.iso", 4 << 20, 2);
        Path data = tmp.resolve("data");
        try (Database db = Database.open(data)) {
            AssetStore store = new AssetStore(data, new AssetRepository(db));
            assertThrows(CancellationException.class, () -> store.add("big", AssetKind.ISO, source,
                    (done, total) -> done < (2 << 20)));
            assertTrue(store.list().isEmpty());
            try (var left = Files.list(data.resolve("assets"))) {
                assertEquals(0, left.count(), "no part file, no asset file");
            }
            Files.write(data.resolve("assets/.big.part-123"), new byte[10]); // a kill mid-copy
            assertEquals(1, store.removeStaleParts());
        }
    }

    @Test
    void namesAreOneUrlSegmentAndOneFileNameAndTakenOnce() throws Exception {
        Path data = tmp.resolve("data");
        try (Database db = Database.open(data)) {
            AssetStore store = new AssetStore(data, new AssetRepository(db));
            for (String bad : new String[] {"../x", "a/b", ".hidden", "-x", "", "a b", "a%2fb", "x".repeat(101), "a\\b"}) {
                assertThrows(IllegalArgumentException.class, () -> store.reserve(bad), bad);
            }
            for (String good : new String[] {"vmlinuz-6.1.0-13-amd64", "debian_12.iso", "a..b", "Root.img"}) {
                assertTrue(Asset.isValidName(good), good);
            }
            Path source = file("vmlinuz", 1000, 3);
            try (AutoCloseable claim = store.reserve("k")) {
                assertThrows(IllegalArgumentException.class, () -> store.reserve("k"), "an add of k is running");
                store.add("k", AssetKind.KERNEL, source, VolumeStore.CopyProgress.NONE);
            }
            assertTrue(assertThrows(IllegalArgumentException.class, () -> store.reserve("k")).getMessage()
                    .contains("already"));
        }
    }

    @Test
    void theKindIsToldByTheBytesBeforeTheName() throws Exception {
        byte[] kernel = new byte[0x300];
        System.arraycopy("HdrS".getBytes(), 0, kernel, 0x202, 4);
        assertEquals(AssetKind.KERNEL, AssetStore.kindOf(Files.write(tmp.resolve("boot.bin"), kernel)));
        byte[] iso = new byte[0x8010];
        System.arraycopy("CD001".getBytes(), 0, iso, 0x8001, 5);
        assertEquals(AssetKind.ISO, AssetStore.kindOf(Files.write(tmp.resolve("disc.bin"), iso)));
        assertEquals(AssetKind.ROOT_IMAGE, AssetStore.kindOf(Files.write(tmp.resolve("root.squashfs"), new byte[10])));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AssetStore.kindOf(Files.write(tmp.resolve("mystery"), new byte[10]))).getMessage().contains("--kind"));
    }

    @Test
    void aFileOfTheDataFolderIsNeverAddedWhetherNamedByItsPathALinkOrAHardLink() throws Exception {
        Path data = tmp.resolve("data");
        try (Database db = Database.open(data)) {
            AssetStore store = new AssetStore(data, new AssetRepository(db));
            Path volume = Files.write(Files.createDirectories(data.resolve("volumes")).resolve("pc1.img"), new byte[4096]);
            Path token = Files.writeString(data.resolve("control.json"), "{\"token\":\"secret\"}");
            Path viaLink = Files.createSymbolicLink(tmp.resolve("innocent.img"), token);
            Path linkedFolder = Files.createSymbolicLink(tmp.resolve("elsewhere"), data.resolve("volumes"));
            Path hardLink = Files.createLink(tmp.resolve("copy.img"), volume);
            for (Path p : List.of(volume, token, viaLink, linkedFolder.resolve("pc1.img"), hardLink,
                    data.resolve("volumes/../control.json"))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                    try (AutoCloseable claim = store.reserve("stolen")) {
                        store.add("stolen", AssetKind.ROOT_IMAGE, p, (done, total) -> true);
                    }
                }, p.toString());
                assertTrue(e.getMessage().contains("is a file of Netroot's data folder"), e.getMessage());
            }
            assertTrue(store.list().isEmpty());
            assertFalse(Files.exists(data.resolve("assets/stolen")));

            Path kernel = file("vmlinuz-6.1", 4096, 3);
            Path named = Files.createSymbolicLink(tmp.resolve("vmlinuz"), kernel); // as /boot/vmlinuz is
            assertEquals(kernel.toRealPath(), store.checkSource(named), "a link outside is followed to its file");
            try (AutoCloseable claim = store.reserve("k")) {
                assertEquals(4096, store.add("k", AssetKind.KERNEL, named, (done, total) -> true).sizeBytes());
            }
            assertThrows(java.io.IOException.class, () -> AssetSource.open(named).close(),
                    "the checked real path is opened without following a link put in its place");
        }
    }

    @Test
    void aFileACrashLeftUnrecordedIsRemovedAtStartAndItsNameIsFreeAgain() throws Exception {
        Path data = tmp.resolve("data");
        Path source = file("initrd.img", 4096, 4);
        try (Database db = Database.open(data)) {
            AssetStore store = new AssetStore(data, new AssetRepository(db));
            try (AutoCloseable claim = store.reserve("kept")) {
                store.add("kept", null, source, (done, total) -> true);
            }
            Files.write(data.resolve("assets/orphan"), new byte[10]); // linked into place, then killed before the record
            Files.createDirectories(data.resolve("assets/not-a-file"));
        }
        try (Database db = Database.open(data)) {
            AssetStore store = new AssetStore(data, new AssetRepository(db));
            assertEquals(1, store.removeUnrecorded());
            assertFalse(Files.exists(data.resolve("assets/orphan")));
            assertTrue(Files.exists(data.resolve("assets/kept")), "a recorded asset keeps its file");
            assertTrue(Files.isDirectory(data.resolve("assets/not-a-file")), "only files an add leaves are removed");
            try (AutoCloseable claim = store.reserve("orphan")) {
                assertEquals(4096, store.add("orphan", null, source, (done, total) -> true).sizeBytes(),
                        "the name is free for an add again");
            }
        }
    }
}
