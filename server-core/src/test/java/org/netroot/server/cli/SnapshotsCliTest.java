package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.Snapshot;
import org.netroot.server.api.Volume;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.TestConfigs;

/**
 * Snapshots of a qcow2 volume end to end: the CLI against a real server takes them (also while a
 * client holds the volume), lists them (qemu-img lists the same), rolls back (refused while the client
 * holds it, with the reason) and removes them; the live stream tells of each change.
 */
class SnapshotsCliTest {
    static final long MIB = 1L << 20;

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

    private static byte[] bytes(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(BlockDevice d, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        d.read(offset, b);
        return b.array();
    }

    @Test
    void snapshotListRollbackAndRemoveThroughTheCliAgainstARunningServer() throws Exception {
        assumeTrue(Processes.has("qemu-img"), "qemu-img is not installed (apt install qemu-utils)");
        byte[] first = bytes(1, (int) MIB);
        byte[] second = bytes(2, (int) MIB);
        try (LocalControl offline = LocalControl.openOffline(data())) {
            offline.createVolume("pc1", 64 * MIB);
            try (BlockDevice d = offline.volumeStore().open("pc1", false)) {
                d.write(0, ByteBuffer.wrap(first));
            }
        }
        Path file = data().resolve("volumes").resolve("pc1.qcow2");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data(), tmp));
             RemoteControl api = RemoteControl.connect(data()).orElseThrow()) {
            List<ChangeEvent> changes = new CopyOnWriteArrayList<>();
            AutoCloseable stream = api.subscribe(0, changes::add);
            assertTrue(ok("volume", "snapshots", "pc1").out().contains("has no snapshots yet"));
            assertTrue(ok("volume", "snapshot", "pc1", "installed").out().contains("took snapshot installed of volume pc1"));

            // a client holds the volume (as an iSCSI session does) and writes: a snapshot is taken meanwhile
            OpenVolumes volumes = server.control().volumeStore().openVolumes();
            OpenVolumes.User client = user("iqn.2026-01.org.netroot:initiator:pc1");
            OpenVolumes.Attachment held = volumes.attach("pc1", client);
            try {
                held.handle().device().write(0, ByteBuffer.wrap(second));
                held.handle().device().flush();
                ok("volume", "snapshot", "pc1", "updated");
                CliRun refused = cli("volume", "rollback", "pc1", "installed");
                assertTrue(refused.code() != 0, refused.out());
                assertTrue(refused.err().contains("volume pc1 is in use by") && refused.err().contains("shut it down first"),
                        "the reason: " + refused.err());
            } finally {
                held.handle().release(client);
            }

            List<Snapshot> snapshots = api.snapshots("pc1");
            assertEquals(List.of("installed", "updated"), snapshots.stream().map(Snapshot::name).toList());
            assertEquals(64 * MIB, snapshots.get(0).sizeBytes());
            String list = ok("volume", "snapshots", "pc1").out();
            assertTrue(list.contains("installed") && list.contains("updated"), list);
            Processes.Result qemu = Processes.run(60, "qemu-img", "snapshot", "-l", file.toString());
            assertTrue(qemu.stdout().contains("installed") && qemu.stdout().contains("updated"), "qemu-img lists them too:\n" + qemu.all());
            assertTrue(ok("volume", "list").out().contains("installed,updated"), "volume list names them");

            assertTrue(ok("volume", "rollback", "pc1", "installed").out().contains("rolled volume pc1 back to snapshot installed"));
            try (BlockDevice d = server.control().volumeStore().open("pc1", true)) {
                assertArrayEquals(first, read(d, 0, (int) MIB), "the bytes from before the client's write");
            }
            ok("volume", "rollback", "pc1", "updated");
            try (BlockDevice d = server.control().volumeStore().open("pc1", true)) {
                assertArrayEquals(second, read(d, 0, (int) MIB), "the client's write, taken while it ran");
            }
            ok("volume", "snapshot-remove", "pc1", "installed");
            assertEquals(List.of("updated"), api.snapshots("pc1").stream().map(Snapshot::name).toList());
            CliRun unknown = cli("volume", "rollback", "pc1", "installed");
            assertTrue(unknown.code() != 0 && unknown.err().contains("has no snapshot named installed"), unknown.err());
            CliRun golden = cli("volume", "snapshot", "nosuch", "x");
            assertTrue(golden.code() != 0 && golden.err().contains("no volume named nosuch"), golden.err());
            Processes.Result check = Processes.run(60, "qemu-img", "check", file.toString());
            assertEquals(0, check.exitCode(), check.all());

            long deadline = System.nanoTime() + 5_000_000_000L;
            while (changes.stream().filter(c -> c.type() == ChangeType.VOLUME_CHANGED).count() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(changes.stream().filter(c -> c.type() == ChangeType.VOLUME_CHANGED).count() >= 5,
                    "each snapshot, rollback and removal on the live stream: " + changes);
            for (ChangeEvent c : changes) {
                if (c.type() != ChangeType.VOLUME_CHANGED) continue;
                assertTrue(c.payloadAs(Volume.class).allocatedBytes() >= 0,
                        "each change carries the volume's space on disk (the app shows it): " + c);
            }
            stream.close();
        }
    }

    @Test
    void rawVolumesAndGoldenImagesHaveNoSnapshotsAndSayWhy() throws Exception {
        try (LocalControl offline = LocalControl.openOffline(data())) {
            offline.createVolume("old", 8 * MIB, "raw");
            offline.createVolume("base", 8 * MIB);
            offline.makeGolden("base");
        }
        CliRun raw = cli("volume", "snapshot", "old", "s1");
        assertTrue(raw.code() != 0 && raw.err().contains("volume old is raw: only qcow2 volumes"), raw.err());
        CliRun golden = cli("volume", "snapshot", "base", "s1");
        assertTrue(golden.code() != 0 && golden.err().contains("golden image base: it never changes"), golden.err());
        CliRun badName = cli("volume", "snapshot", "base2", "a b");
        assertTrue(badName.code() != 0, badName.err());
    }

    private static OpenVolumes.User user(String identity) {
        return new OpenVolumes.User() {
            @Override
            public String identity() {
                return identity;
            }

            @Override
            public void evict() {
            }

            @Override
            public String description() {
                return "client pc1 (" + identity + ")";
            }
        };
    }
}
