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

    @Test
    void createdVolumesAreSparseAndReadWriteThroughTheBlockDevice() throws Exception {
        try (Database db = Database.open(tmp)) {
            VolumeStore store = new VolumeStore(tmp, new VolumeRepository(db));
            store.create("big", 1L << 30);
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
            assertThrows(IllegalArgumentException.class, () -> store.create("v", 1000));
            assertThrows(IllegalArgumentException.class, () -> store.create("../evil", 512));
            store.create("v", 512);
            var dup = assertThrows(IllegalArgumentException.class, () -> store.create("v", 512));
            assertTrue(dup.getMessage().contains("already exists"));
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
}
