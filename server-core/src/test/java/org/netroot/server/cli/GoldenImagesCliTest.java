package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.Volume;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.TestConfigs;

/**
 * Golden images and overlays end to end: the CLI talks to a real server (its control API, real
 * H2), the files are checked with qemu-img, and the live stream tells of each change.
 */
class GoldenImagesCliTest {
    static final long GIB = 1L << 30;
    static final long TIMEOUT = 60;

    @TempDir Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    private CliRun cli(String... args) {
        return CliRun.of(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data", data().toString())).toArray(String[]::new));
    }

    private CliRun ok(String... args) {
        CliRun r = cli(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    private static Processes.Result qemuImg(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        return Processes.run(TIMEOUT, cmd);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] read(BlockDevice d, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        d.read(offset, b);
        return b.array();
    }

    /** Someone holding a volume open, as an iSCSI session does. */
    private static OpenVolumes.User user(String identity) {
        return new OpenVolumes.User() {
            @Override
            public String identity() {
                return identity;
            }

            @Override
            public void evict() {
            }
        };
    }

    @Test
    void goldenCloneWriteResetPromoteAndRemoveThroughTheCliAgainstARunningServer() throws Exception {
        assumeTrue(Processes.has("qemu-img"), "qemu-img is not installed (apt install qemu-utils): golden image test skipped");
        byte[] head = new byte[1 << 20];
        byte[] far = new byte[64 << 10];
        new Random(12).nextBytes(head);
        new Random(13).nextBytes(far);
        // the golden image's contents, written through its BlockDevice before the server takes the folder
        try (LocalControl offline = LocalControl.openOffline(data())) {
            offline.createVolume("golden", 4 * GIB);
            try (BlockDevice d = offline.volumeStore().open("golden", false)) {
                d.write(0, ByteBuffer.wrap(head));
                d.write(3 * GIB, ByteBuffer.wrap(far));
            }
        }
        Path volumes = data().resolve("volumes");
        Path goldenFile = volumes.resolve("golden.qcow2");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data(), tmp));
             RemoteControl api = RemoteControl.connect(data()).orElseThrow()) {
            List<ChangeEvent> changes = new CopyOnWriteArrayList<>();
            AutoCloseable stream = api.subscribe(0, changes::add);

            assertTrue(ok("volume", "golden", "golden").out().contains("volume golden is a golden image"));
            String goldenSum = sha256(goldenFile);

            long t0 = System.nanoTime();
            CliRun cloned = ok("volume", "clone", "golden", "pc1");
            long cloneMs = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            api.cloneVolume("golden", "pc2");
            long apiMs = (System.nanoTime() - t0) / 1_000_000;
            api.removeVolume("pc2");
            System.out.println("clone of a 4 GiB golden image: " + cloneMs + " ms through the CLI (a fresh connection),"
                    + " " + apiMs + " ms through the control API");
            assertTrue(cloned.out().contains("created overlay pc1 of golden image golden (4 GiB)"), cloned.out());
            Path overlayFile = volumes.resolve("pc1.qcow2");
            String info = qemuImg("info", overlayFile.toString()).stdout();
            assertTrue(info.contains("backing file: golden.qcow2"), info);
            assertTrue(info.contains("virtual size: 4 GiB"), info);
            assertEquals(0, qemuImg("check", overlayFile.toString()).exitCode(), "qemu-img check of the new overlay");
            Volume pc1 = api.volumes().stream().filter(v -> v.name().equals("pc1")).findFirst().orElseThrow();
            assertEquals("golden", pc1.overlayOf());
            assertEquals("qcow2", pc1.format());
            assertTrue(pc1.snapshots().isEmpty());
            assertTrue(Files.size(overlayFile) < (1 << 20), "sparse: an overlay holds only its metadata: " + Files.size(overlayFile));

            // a write through the overlay's BlockDevice: the golden file does not change
            byte[] written = new byte[8192];
            new Random(14).nextBytes(written);
            long at = 512 << 10;
            try (BlockDevice d = server.control().volumeStore().open("pc1", false)) {
                d.write(at, ByteBuffer.wrap(written));
                assertArrayEquals(java.util.Arrays.copyOfRange(head, 0, 4096), read(d, 0, 4096), "unwritten: the golden's bytes");
                assertArrayEquals(far, read(d, 3 * GIB, far.length));
            }
            assertEquals(goldenSum, sha256(goldenFile), "the golden image's file is unchanged");
            var differ = qemuImg("compare", overlayFile.toString(), goldenFile.toString());
            assertEquals(1, differ.exitCode(), differ.all());
            assertTrue(differ.stdout().contains("Content mismatch at offset " + at + "!"), differ.all());
            // the same write applied to a raw copy of the golden image: then they are the same bytes
            Path expected = tmp.resolve("expected.raw");
            ok("volume", "export", "golden", expected.toString());
            try (var ch = java.nio.channels.FileChannel.open(expected, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(written), at);
            }
            var same = qemuImg("compare", "-F", "raw", overlayFile.toString(), expected.toString());
            assertEquals(0, same.exitCode(), "the overlay differs from the golden only where written: " + same.all());

            CliRun list = ok("volume", "list");
            assertTrue(list.out().matches("(?s).*\\ngolden\\s+qcow2\\s+4 GiB\\s+\\S+ \\S+\\s+golden\\s.*"), list.out());
            assertTrue(list.out().matches("(?s).*\\npc1\\s+qcow2\\s+4 GiB\\s+\\S+ \\S+\\s+overlay of golden\\s.*"), list.out());
            assertTrue(list.out().contains(" free of "), list.out());

            CliRun removeGolden = cli("volume", "remove", "golden");
            assertEquals(2, removeGolden.code());
            assertTrue(removeGolden.err().contains("volume golden is the golden image of pc1: remove that overlay first"),
                    removeGolden.err());
            CliRun resizeGolden = cli("volume", "resize", "golden", "--size", "8G");
            assertEquals(2, resizeGolden.code());
            assertTrue(resizeGolden.err().contains("keeps its size while overlays read from it (pc1)"), resizeGolden.err());
            assertTrue(Files.exists(goldenFile));

            // promote: the overlay whole, standing alone and sparse
            CliRun promoted = ok("volume", "promote", "pc1", "gold2");
            assertTrue(promoted.out().contains("promote gold2  succeeded"), promoted.out());
            Path gold2 = volumes.resolve("gold2.qcow2");
            String info2 = qemuImg("info", gold2.toString()).stdout();
            assertFalse(info2.contains("backing file"), info2);
            assertEquals(0, qemuImg("check", gold2.toString()).exitCode());
            var promotedSame = qemuImg("compare", gold2.toString(), overlayFile.toString());
            assertEquals(0, promotedSame.exitCode(), "the promoted image reads as the overlay: " + promotedSame.all());
            assertTrue(Files.size(gold2) < (8 << 20), "zero chunks skipped: " + Files.size(gold2) + " bytes for 4 GiB");
            assertTrue(api.volumes().stream().filter(v -> v.name().equals("gold2")).findFirst().orElseThrow().golden());

            // reset: refused while someone has the overlay open, then the golden's bytes again
            OpenVolumes open = server.control().volumeStore().openVolumes();
            OpenVolumes.User session = user("iqn.2026-01.test:pc1");
            OpenVolumes.Attachment a = open.attach("pc1", session);
            CliRun busy = cli("volume", "reset", "pc1");
            assertEquals(2, busy.code());
            assertTrue(busy.err().contains("volume pc1 is in use by iqn.2026-01.test:pc1: shut it down first, then reset it"),
                    busy.err());
            CliRun goldenBusy = cli("volume", "golden", "pc1");
            assertEquals(2, goldenBusy.code());
            assertTrue(goldenBusy.err().contains("shut it down first, then make it a golden image"), goldenBusy.err());
            a.handle().release(session);
            assertTrue(ok("volume", "reset", "pc1").out().contains("reset overlay pc1 to golden image golden"));
            var resetSame = qemuImg("compare", overlayFile.toString(), goldenFile.toString());
            assertEquals(0, resetSame.exitCode(), "reset gives back the golden's bytes: " + resetSame.all());
            assertEquals(0, qemuImg("check", overlayFile.toString()).exitCode());

            ok("volume", "remove", "pc1");
            ok("volume", "remove", "golden");
            assertFalse(Files.exists(goldenFile) || Files.exists(overlayFile));

            for (int i = 0; i < 100 && changes.stream().noneMatch(e -> e.type() == ChangeType.VOLUME_REMOVED
                    && e.subject().equals("golden")); i++) Thread.sleep(50);
            List<String> seen = changes.stream().filter(e -> e.type().name().startsWith("VOLUME_") && e.type() != ChangeType.VOLUME_ACTIVITY)
                    .map(e -> e.type() + " " + e.subject()).toList();
            assertEquals(List.of("VOLUME_CHANGED golden", "VOLUME_CREATED pc1", "VOLUME_CREATED pc2", "VOLUME_REMOVED pc2",
                    "VOLUME_CREATED gold2", "VOLUME_CHANGED pc1",
                    "VOLUME_REMOVED pc1", "VOLUME_REMOVED golden"), seen);
            assertTrue(changes.stream().filter(e -> e.type() == ChangeType.VOLUME_CHANGED && e.subject().equals("golden"))
                    .findFirst().orElseThrow().payloadAs(Volume.class).golden(), "the event carries the golden volume");
            stream.close();
        }
    }

    @Test
    void newVolumesAreQcow2UnlessRawIsAskedForAndAnUnknownFormatIsRefused() {
        CliRun q = ok("volume", "create", "a", "--size", "16M");
        assertTrue(q.out().contains("created volume a (16 MiB, qcow2)"), q.out());
        assertTrue(Files.exists(data().resolve("volumes").resolve("a.qcow2")));
        CliRun r = ok("volume", "create", "b", "--size", "16M", "--format", "raw");
        assertTrue(r.out().contains("(16 MiB, raw)"), r.out());
        CliRun bad = cli("volume", "create", "c", "--size", "16M", "--format", "vdi");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("volume format vdi is not known: use one of raw, qcow2"), bad.err());
        CliRun notGolden = cli("volume", "clone", "a", "x");
        assertEquals(2, notGolden.code());
        assertTrue(notGolden.err().contains("volume a is not a golden image: make it one first (`netroot volume golden a`)"),
                notGolden.err());
        CliRun noOverlay = cli("volume", "reset", "a");
        assertTrue(noOverlay.err().contains("volume a is no overlay of a golden image"), noOverlay.err());
    }

    @Test
    void creatingPastTheFreeSpaceWarnsAndIsAllowed() {
        CliRun huge = ok("volume", "create", "huge", "--size", "100T");
        assertTrue(huge.err().contains("warning: volume huge can grow to 100 TiB but the disk holding"), huge.err());
        assertTrue(huge.err().contains("Volumes are sparse"), huge.err());
        assertTrue(huge.out().contains("created volume huge"), huge.out());
        CliRun small = ok("volume", "create", "small", "--size", "1M");
        assertFalse(small.err().contains("warning"), small.err());
    }
}
