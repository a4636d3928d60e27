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
}
