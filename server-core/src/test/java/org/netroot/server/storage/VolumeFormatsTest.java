package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Volume;
import org.netroot.server.store.Database;
import org.netroot.server.store.VolumeRepository;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.Qcow2CheckedTempDirs.LeavesDamagedImages;

/** Imports of qemu-made images, export as qcow2, and a shrink that would cut a partition off. */
class VolumeFormatsTest {
    static final long MIB = 1 << 20;
    static final long TIMEOUT = 60;

    @TempDir Path tmp;

    private static Processes.Result qemuImg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        return Processes.run(TIMEOUT, cmd);
    }

    private static void assumeQemuImg() {
        assumeTrue(Processes.has("qemu-img"), "qemu-img is not installed (apt install qemu-utils): format interop skipped");
    }

    /** A raw image with random data in its first MiB and at 5 MiB, holes between. */
    private Path rawImage(String name, long size, long seed) throws Exception {
        Path raw = tmp.resolve(name);
        Random r = new Random(seed);
        byte[] a = new byte[(int) MIB];
        byte[] b = new byte[64 << 10];
        r.nextBytes(a);
        r.nextBytes(b);
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(a), 0);
            ch.write(ByteBuffer.wrap(b), 5 * MIB);
            ch.truncate(size);
            if (ch.size() < size) ch.write(ByteBuffer.allocate(1), size - 1);
        }
        return raw;
    }

    private static byte[] readAll(BlockDevice d) throws Exception {
        ByteBuffer b = ByteBuffer.allocate((int) d.sizeBytes());
        d.read(0, b);
        return b.array();
    }

    @Test
    void importsQemuQcow2AndVmdkAndExportsQcow2ThatQemuImgChecksClean() throws Exception {
        assumeQemuImg();
        Path raw = rawImage("src.raw", 8 * MIB, 1);
        Path qcow2 = tmp.resolve("src.qcow2");
        assertEquals(0, qemuImg("create", "-f", "qcow2", qcow2.toString(), "8M").exitCode());
        assertEquals(0, qemuImg("convert", "-n", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString()).exitCode());
        Path vmdk = tmp.resolve("src.vmdk");
        assertEquals(0, qemuImg("convert", "-f", "raw", "-O", "vmdk", raw.toString(), vmdk.toString()).exitCode());
        byte[] expected = Files.readAllBytes(raw);
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            List<long[]> progress = new ArrayList<>();
            Volume fromQcow2 = store.importImage("q", qcow2, 0, (done, total) -> progress.add(new long[] {done, total}));
            assertEquals("qcow2", fromQcow2.format());
            assertEquals(8 * MIB, fromQcow2.sizeBytes());
            assertEquals(8 * MIB, progress.get(progress.size() - 1)[0], "progress reached the end");
            Volume fromVmdk = store.importImage("v", vmdk, 0, VolumeStore.CopyProgress.NONE);
            assertEquals("qcow2", fromVmdk.format(), "converted by qemu-img");
            for (String name : List.of("q", "v")) {
                try (BlockDevice d = store.open(name, true)) {
                    assertArrayEquals(expected, readAll(d), "volume " + name + " holds the image's bytes");
                }
                Path file = store.fileOf(store.require(name));
                assertEquals(0, qemuImg("check", file.toString()).exitCode(), name);
            }
            assertTrue(Files.list(tmp.resolve("data/volumes")).noneMatch(f -> f.getFileName().toString().contains(".part-")),
                    "no part files left");

            Path exported = tmp.resolve("out.qcow2");
            store.export("q", exported, VolumeFormat.QCOW2, VolumeStore.CopyProgress.NONE);
            var check = qemuImg("check", exported.toString());
            assertEquals(0, check.exitCode(), check.all());
            var same = qemuImg("compare", "-F", "raw", exported.toString(), raw.toString());
            assertEquals(0, same.exitCode(), same.all());
            assertTrue(Files.size(exported) < 4 * MIB, "sparse: " + Files.size(exported));

            // a raw volume exported as qcow2, and a qcow2 volume as raw
            store.create("r", 8 * MIB, "raw");
            try (BlockDevice d = store.open("r", false)) {
                d.write(0, ByteBuffer.wrap(expected));
            }
            Path fromRaw = tmp.resolve("r.qcow2");
            store.export("r", fromRaw, VolumeFormat.QCOW2, VolumeStore.CopyProgress.NONE);
            assertEquals(0, qemuImg("compare", "-F", "raw", fromRaw.toString(), raw.toString()).exitCode());
            Path asRaw = tmp.resolve("q.raw");
            store.export("q", asRaw);
            assertArrayEquals(expected, Files.readAllBytes(asRaw));
        }
    }

    /**
     * A raw golden image's first sector is whatever its client wrote, e.g. a qcow2 header naming a
     * server file as its backing file: its overlays read it as the raw image it is recorded as.
     */
    @Test
    @LeavesDamagedImages("the raw golden image starts with a qcow2 header on purpose: it is raw data")
    void aRawGoldenImageWhoseFirstSectorLooksLikeQcow2IsReadAsRawByItsOverlays() throws Exception {
        assumeQemuImg();
        Path lure = tmp.resolve("lure.qcow2");
        assertEquals(0, qemuImg("create", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", lure.toString(), "1M").exitCode());
        byte[] header = new byte[512];
        System.arraycopy(Files.readAllBytes(lure), 0, header, 0, 512);
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            store.create("base", 4 * MIB, "raw");
            try (BlockDevice d = store.open("base", false)) {
                d.write(0, ByteBuffer.wrap(header)); // what a client of the raw volume could write
            }
            store.makeGolden("base");
            store.cloneOverlay("base", "pc1");
            try (BlockDevice overlay = store.open("pc1", true)) {
                ByteBuffer first = ByteBuffer.allocate(512);
                overlay.read(0, first);
                assertArrayEquals(header, first.array(), "the golden image's own bytes, not /etc/passwd's");
            }
        }
    }

    /** A VMDK descriptor may keep its data in any file ("RW 8 FLAT \"/etc/passwd\" 0"): refused, nothing imported. */
    @Test
    void anImageKeepingItsDataInAnotherFileIsRefused() throws Exception {
        assumeQemuImg();
        Path evil = tmp.resolve("evil.vmdk");
        Files.writeString(evil, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
                + "createType=\"monolithicFlat\"\n\nRW 8 FLAT \"/etc/passwd\" 0\n\nddb.virtualHWVersion = \"4\"\n");
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            var refused = assertThrows(IllegalArgumentException.class,
                    () -> store.importImage("stolen", evil, 0, VolumeStore.CopyProgress.NONE));
            assertTrue(refused.getMessage().contains("keeps its data in another file (/etc/passwd)"), refused.getMessage());
            assertTrue(store.find("stolen").isEmpty(), "no volume");
        }
    }

    /** A running client's qcow2 disk reuses freed clusters under a second reader: its export waits for it to stop. */
    @Test
    void aQcow2VolumeInUseIsNotExportedUntilItsClientStops() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            store.create("pc1", 4 * MIB, "qcow2");
            OpenVolumes.User client = new OpenVolumes.User() {
                @Override
                public String identity() {
                    return "iqn.2026-01.org.netroot:initiator:pc1";
                }

                @Override
                public void evict() {
                }
            };
            OpenVolumes.Attachment held = store.openVolumes().attach("pc1", client);
            Path target = tmp.resolve("pc1.qcow2");
            try {
                var refused = assertThrows(IllegalArgumentException.class,
                        () -> store.export("pc1", target, VolumeFormat.QCOW2, VolumeStore.CopyProgress.NONE));
                assertTrue(refused.getMessage().contains("is in use by") && refused.getMessage().contains("then export it"),
                        refused.getMessage());
                assertFalse(Files.exists(target));
            } finally {
                held.handle().release(client);
            }
            store.export("pc1", target, VolumeFormat.QCOW2, VolumeStore.CopyProgress.NONE);
            assertTrue(Files.size(target) > 0, "exported once the client left");
        }
    }

    @Test
    void aCancelledQcow2ImportLeavesNothing() throws Exception {
        Path src = tmp.resolve("src.qcow2");
        VolumeFormat.QCOW2.create(src, 16 * MIB, java.util.Optional.empty());
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> store.importImage("q", src, 0, (done, total) -> done < 4 * MIB));
            assertTrue(store.find("q").isEmpty());
            try (var files = Files.list(tmp.resolve("data/volumes"))) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    /** An MBR with one partition from sector 2048 to 6 MiB. */
    static void writeMbr(BlockDevice d, long endBytes) throws Exception {
        ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        mbr.put(446 + 4, (byte) 0x83).putInt(446 + 8, 2048).putInt(446 + 12, (int) (endBytes / 512 - 2048));
        mbr.put(510, (byte) 0x55).put(511, (byte) 0xaa);
        d.write(0, mbr);
    }

    /** A protective MBR and a GPT whose one partition ends at {@code endBytes}. */
    static void writeGpt(BlockDevice d, long endBytes) throws Exception {
        ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        mbr.put(446 + 4, (byte) 0xee).putInt(446 + 8, 1).putInt(446 + 12, (int) (d.sizeBytes() / 512 - 1));
        mbr.put(510, (byte) 0x55).put(511, (byte) 0xaa);
        d.write(0, mbr);
        ByteBuffer h = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, "EFI PART".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        h.putLong(72, 2).putInt(80, 128).putInt(84, 128);
        d.write(512, h);
        ByteBuffer entries = ByteBuffer.allocate(128 * 128).order(ByteOrder.LITTLE_ENDIAN);
        entries.putLong(0, 0x11aa11aa11aa11aaL).putLong(8, 0x22bb22bb22bb22bbL); // a type GUID: in use
        entries.putLong(32, 2048).putLong(40, endBytes / 512 - 1);
        d.write(1024, entries);
    }

    @Test
    void aShrinkNeverCutsTheLastPartitionOffOfRawOrQcow2() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            store.create("mbr", 16 * MIB, "raw");
            store.create("gpt", 16 * MIB, "qcow2");
            store.create("bare", 16 * MIB, "qcow2");
            try (BlockDevice d = store.open("mbr", false)) {
                writeMbr(d, 6 * MIB);
            }
            try (BlockDevice d = store.open("gpt", false)) {
                writeGpt(d, 10 * MIB);
            }
            var mbr = assertThrows(IllegalArgumentException.class, () -> store.resize("mbr", 4 * MIB, true));
            assertEquals("volume mbr's last partition ends at byte 6291456 (6 MiB): shrink that partition inside the"
                    + " client first, or choose a size of at least 6 MiB", mbr.getMessage());
            var gpt = assertThrows(IllegalArgumentException.class, () -> store.resize("gpt", 8 * MIB, true));
            assertTrue(gpt.getMessage().contains("ends at byte 10485760 (10 MiB)"), gpt.getMessage());
            assertEquals(16 * MIB, store.require("gpt").sizeBytes(), "nothing changed");
            assertEquals(6 * MIB, store.resize("mbr", 6 * MIB, true).sizeBytes(), "down to the partition's end");
            assertEquals(12 * MIB, store.resize("gpt", 12 * MIB, true).sizeBytes());
            assertEquals(1 * MIB, store.resize("bare", 1 * MIB, true).sizeBytes(), "no partition table: no limit");
            try (BlockDevice d = store.open("gpt", true)) {
                assertEquals(12 * MIB, d.sizeBytes(), "the qcow2 file shrank too");
            }
        }
    }

    @Test
    void aGoldenImageIsServedReadOnlyAndOverlaysReadThroughIt() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"))) {
            VolumeStore store = new VolumeStore(tmp.resolve("data"), new VolumeRepository(db));
            store.create("base", 4 * MIB, "raw"); // a raw golden image: its overlays name a raw backing file
            try (BlockDevice d = store.open("base", false)) {
                d.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
            }
            store.makeGolden("base");
            store.cloneOverlay("base", "o");
            OpenVolumes.User u = new OpenVolumes.User() {
                @Override
                public String identity() {
                    return "iqn.test";
                }

                @Override
                public void evict() {
                }
            };
            var golden = store.openVolumes().attach("base", u);
            assertTrue(golden.handle().device().readOnly(), "a client booting the golden image sees a write-protected disk");
            golden.handle().release(u);
            var overlay = store.openVolumes().attach("o", u);
            assertFalse(overlay.handle().device().readOnly());
            ByteBuffer b = ByteBuffer.allocate(4);
            overlay.handle().device().read(0, b);
            assertArrayEquals(new byte[] {1, 2, 3, 4}, b.array());
            overlay.handle().release(u);
            assertEquals(List.of("o"), store.overlaysOf("base"));
        }
    }
}
