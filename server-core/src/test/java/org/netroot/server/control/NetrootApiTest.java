package org.netroot.server.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ControlEndpoint;
import org.netroot.server.api.Job;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** The API the app uses, against a real server on loopback (and the data folder alone when none runs). */
class NetrootApiTest {
    static final String SECRET = "s3cret-s3cret-1";

    @TempDir Path tmp;

    @Test
    void attachFindsTheRunningServerElseOpensTheDataFolderOffline() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl c = Netroot.attach(data)) {
            assertInstanceOf(RemoteControl.class, c);
            assertTrue(c.status().running());
            c.createVolume("v1", 1 << 20);
        }
        try (NetrootControl c = Netroot.attach(data)) {
            assertInstanceOf(LocalControl.class, c, "found through ServiceLoader (META-INF/services)");
            assertFalse(c.status().running());
            assertEquals("v1", c.volumes().get(0).name(), "the offline view reads the same data folder");
            var e = assertThrows(IllegalStateException.class, () -> c.stopService("TFTP"));
            assertTrue(e.getMessage().contains("no Netroot server runs"), e.getMessage());
            assertThrows(IllegalStateException.class, c::startAllServices);
        }
    }

    @Test
    void anOfflineViewLetsGoOfTheDatabaseForAStartingServerAndItsFollowGoesLive() throws Exception {
        // before: the server waited Database.LOCK_WAIT for the offline view, then failed to start
        Path data = tmp.resolve("data");
        List<BootEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (NetrootControl offline = Netroot.offline(data);
             AutoCloseable follow = offline.followEvents(0, seen::add)) {
            offline.createVolume("v1", 1 << 20);
            try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
                // in one JVM H2 shares the open database, so the server did not have to wait: the view still yields
                long yieldBy = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < yieldBy) {
                    try {
                        offline.volumes();
                        Thread.sleep(50);
                    } catch (IllegalStateException stopped) {
                        break;
                    }
                }
                var e = assertThrows(IllegalStateException.class, offline::volumes);
                assertEquals("a Netroot server started for " + data + ": run the command again (it now goes to the server)",
                        e.getMessage());
                server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "after the switch"));
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (seen.stream().noneMatch(b -> "after the switch".equals(b.detail())) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(seen.stream().anyMatch(b -> "after the switch".equals(b.detail())),
                        "the offline follow switched to the server's live stream: " + seen);
                try (NetrootControl remote = Netroot.attach(data)) {
                    assertEquals("v1", remote.volumes().get(0).name());
                }
            }
        }
    }

    @Test
    void aFollowThatSwitchedFromOfflineToAServerEndsWhenThatServerStops() throws Exception {
        // before: LocalControl had no 3-arg followEvents, the default dropped onEnd: `events -f` hung forever
        Path data = tmp.resolve("data");
        List<BootEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var ended = new java.util.concurrent.CompletableFuture<Throwable>();
        var embeddedEnded = new java.util.concurrent.CompletableFuture<Throwable>();
        try (NetrootControl offline = Netroot.offline(data);
             AutoCloseable follow = offline.followEvents(0, seen::add, ended::complete)) {
            AutoCloseable embedded;
            try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
                embedded = server.control().followEvents(0, e -> { }, embeddedEnded::complete);
                // in one JVM the view could read the server's events from the shared database: wait for the yield
                for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
                    try {
                        offline.volumes();
                    } catch (IllegalStateException yielded) {
                        break;
                    }
                }
                server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "live"));
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (seen.stream().noneMatch(b -> "live".equals(b.detail())) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(seen.stream().anyMatch(b -> "live".equals(b.detail())), "switched to the server: " + seen);
                assertFalse(ended.isDone(), "following goes on while the server runs");
            }
            assertNull(ended.get(15, java.util.concurrent.TimeUnit.SECONDS), "the server stopped: ended without error");
            assertNull(embeddedEnded.get(15, java.util.concurrent.TimeUnit.SECONDS),
                    "the embedded server's follow is told too");
            embedded.close();
        }
    }

    @Test
    void anOfflineFollowWhoseSinkFailsEndsSayingWhy() throws Exception {
        // before: the poll thread died silently and the follower waited forever
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
            server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "one"));
        }
        var ended = new java.util.concurrent.CompletableFuture<Throwable>();
        try (NetrootControl offline = Netroot.offline(data);
             AutoCloseable follow = offline.followEvents(0, e -> {
                 throw new IllegalStateException("sink broke");
             }, ended::complete)) {
            assertEquals("sink broke", ended.get(10, java.util.concurrent.TimeUnit.SECONDS).getMessage());
        }
    }

    @Test
    void anOfflineImportIsCancelledWithTheReasonWhenAServerStartsAndLeavesNoHalfVolume() throws Exception {
        // before: the offline import went on writing under the server (and with H2's lock, kept it from starting)
        Path data = tmp.resolve("data");
        Path image = tmp.resolve("big.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 30); // sparse: reading its holes takes a while, writing them nothing
        }
        try (NetrootControl offline = Netroot.offline(data)) {
            Job job = offline.startImport("big", image.toString());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (offline.job(job.id()).bytesDone() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(Job.State.RUNNING, offline.job(job.id()).state(), "the copy is under way");
            try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
                Job end = job;
                for (long until = System.nanoTime() + 20_000_000_000L; !end.ended() && System.nanoTime() < until; ) {
                    Thread.sleep(50);
                    end = offline.job(job.id());
                }
                assertEquals(Job.State.CANCELLED, end.state(), end.toString());
                assertEquals("a Netroot server started for " + data + ": run the command again (it now goes to the server)"
                        + "; nothing was kept", end.message());
                assertTrue(server.control().volumes().isEmpty());
                try (var files = Files.list(data.resolve("volumes"))) {
                    assertEquals(List.of(), files.toList(), "no half volume, no part file");
                }
            }
        }
    }

    @Test
    void aServerOfAnotherApiVersionIsNamedNotMisread() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/api/version", x -> {
            byte[] body = "{\"apiVersion\":99}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        other.start();
        try {
            new ControlEndpoint(other.getAddress().getPort(), "t").write(data);
            var e = assertThrows(IllegalStateException.class, () -> Netroot.attach(data));
            assertTrue(e.getMessage().contains("speaks control API version 99, this program version "
                    + NetrootControl.API_VERSION), e.getMessage());
            assertTrue(e.getMessage().contains("same release"), e.getMessage());
        } finally {
            other.stop(0);
        }
    }

    @Test
    void clientsAreEditedAndListedWithoutSecrets() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            api.createVolume("v1", 1 << 20);
            api.createVolume("v2", 1 << 20);
            Client added = api.addClient(new Client("c1", "52:54:00:00:00:01", "v1", BootMode.SANBOOT, null, "alice",
                    SECRET, null, null, null));
            assertNull(added.chapSecret(), "answers carry no secret");
            api.addClient(Client.sanboot("c2", "52:54:00:00:00:02", "v2"));

            Client listed = api.clients().get(0);
            assertNull(listed.chapSecret());
            assertTrue(listed.chap(), "the list says CHAP is on");
            assertEquals(SECRET, api.clientSecrets("c1").chapSecret());
            assertEquals("alice", api.clientSecrets("c1").chapUser());

            // edit what the list gave: new MAC and reserved address, the secret stays
            Client edited = api.updateClient("c1", new Client("c1", "52-54-00-00-00-11", "v1", BootMode.SANBOOT,
                    listed.initiatorIqn(), "alice", null, null, null, "192.168.1.50", true, false));
            assertEquals("52:54:00:00:00:11", edited.mac());
            assertEquals("192.168.1.50", api.clients().get(0).reservedIp());
            assertEquals(SECRET, api.clientSecrets("c1").chapSecret());

            // the same checks as add
            var taken = assertThrows(IllegalArgumentException.class, () -> api.updateClient("c1",
                    Client.sanboot("c1", "52:54:00:00:00:02", "v1")));
            assertTrue(taken.getMessage().contains("already belongs to client c2"), taken.getMessage());
            var disk = assertThrows(IllegalArgumentException.class, () -> api.updateClient("c1",
                    Client.sanboot("c1", "52:54:00:00:00:11", "v2")));
            assertTrue(disk.getMessage().contains("already the disk of client c2"), disk.getMessage());
            assertThrows(IllegalArgumentException.class, () -> api.updateClient("nobody",
                    Client.sanboot("nobody", "52:54:00:00:00:99", null)));
            var noSecret = assertThrows(IllegalArgumentException.class, () -> api.addClient(new Client("c3",
                    "52:54:00:00:00:03", null, BootMode.SANBOOT, null, null, null, null, null, null, true, false)));
            assertTrue(noSecret.getMessage().contains("give a CHAP secret"), noSecret.getMessage());

            // turning CHAP off: chap false and no secret
            api.updateClient("c1", Client.sanboot("c1", "52:54:00:00:00:11", "v1"));
            assertFalse(api.clients().get(0).chap());
            assertNull(api.clientSecrets("c1").chapSecret());
        }
    }

    /** Shared volumes and several initiator names, through the HTTP API and its live stream. */
    @Test
    void aSharedVolumeAndSeveralInitiatorNamesGoThroughTheApi() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            assertInstanceOf(RemoteControl.class, api);
            api.createVolume("quorum", 1 << 20);
            ChangeStreamTest.Recorder stream = new ChangeStreamTest.Recorder();
            AutoCloseable sub = api.subscribe(0, stream);
            assertTrue(api.shareVolume("quorum", true).shared());
            stream.await(l -> l.stream().anyMatch(e -> e.type() == ChangeType.VOLUME_CHANGED));
            sub.close();
            assertTrue(stream.events.stream().filter(e -> e.type() == ChangeType.VOLUME_CHANGED)
                    .map(e -> e.payloadAs(org.netroot.server.api.Volume.class)).anyMatch(v -> v.shared()), "the stream says so");
            assertTrue(api.volumes().get(0).shared(), "and the list");

            api.addClient(Client.sanboot("node1", "52:54:00:00:00:01", "quorum")
                    .withInitiatorIqns(List.of("iqn.1991-05.com.microsoft:node1", "iqn.2026-01.org.netroot:initiator:node1")));
            api.addClient(Client.sanboot("node2", "52:54:00:00:00:02", "quorum"));
            Client node1 = api.clients().get(0);
            assertEquals(List.of("iqn.1991-05.com.microsoft:node1", "iqn.2026-01.org.netroot:initiator:node1"),
                    node1.initiatorIqns(), "both names over JSON, iPXE's first");
            var unshare = assertThrows(IllegalArgumentException.class, () -> api.shareVolume("quorum", false));
            assertEquals("volume quorum is the disk of clients node1, node2: give all but one of them another volume first",
                    unshare.getMessage());
            api.removeClient("node2");
            assertFalse(api.shareVolume("quorum", false).shared());
        }
    }

    @Test
    void aClientsEventsAreItsOwnAfterAnId() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            api.addClient(Client.sanboot("c1", "52:54:00:00:00:01", null));
            for (int i = 0; i < 3; i++) {
                server.events().record(BootEvent.of("52:54:00:00:00:01", BootEventType.DHCP_DISCOVER, "mine " + i));
                server.events().record(BootEvent.of("52:54:00:00:00:02", BootEventType.DHCP_DISCOVER, "other " + i));
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (api.events(0, 100).size() < 6 && System.currentTimeMillis() < deadline) Thread.sleep(20);

            List<BootEvent> mine = api.clientEvents("c1", 0, 100);
            assertEquals(List.of("mine 0", "mine 1", "mine 2"), mine.stream().map(BootEvent::detail).toList());
            assertTrue(mine.stream().allMatch(e -> "c1".equals(e.clientName())));
            assertEquals(List.of("mine 1", "mine 2"), api.clientEvents("c1", mine.get(0).id(), 100).stream()
                    .map(BootEvent::detail).toList());
            assertEquals(3, api.clientEvents("52-54-00-00-00-02", 0, 100).size(), "a MAC no client has works too");
            assertThrows(IllegalArgumentException.class, () -> api.clientEvents("nobody", 0, 10));
        }
    }

    @Test
    void servicesStartAndStopByNameAndAll() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            assertFalse(running(api.stopService("TFTP"), "TFTP"));
            assertTrue(running(api.startService("tftp"), "TFTP"));
            ServerStatus stopped = api.stopAllServices();
            assertTrue(stopped.services().stream().noneMatch(ServerStatus.ServiceState::running), stopped.toString());
            ServerStatus started = api.startAllServices();
            assertTrue(started.services().stream().allMatch(ServerStatus.ServiceState::running), started.toString());
            assertThrows(IllegalArgumentException.class, () -> api.startService("gopher"));
        }
    }

    private static boolean running(ServerStatus s, String service) {
        return s.services().stream().filter(x -> x.name().equals(service)).findFirst().orElseThrow().running();
    }

    @Test
    void importAndExportRunAsJobsWithProgressAndAFinalState() throws Exception {
        Path data = tmp.resolve("data");
        Path image = tmp.resolve("disk.img");
        byte[] bytes = new byte[3 << 20];
        for (int i = 0; i < bytes.length; i += 4096) bytes[i] = (byte) (i >> 12);
        Files.write(image, bytes);
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            ChangeStreamTest.Recorder stream = new ChangeStreamTest.Recorder();
            AutoCloseable sub = api.subscribe(0, stream);
            Job job = awaitEnd(api, api.startImport("v1", image.toString()));
            stream.await(l -> l.stream().anyMatch(e -> e.type() == ChangeType.JOB_FINISHED));
            sub.close();
            assertEquals(List.of(ChangeType.JOB_PROGRESS, ChangeType.VOLUME_CREATED, ChangeType.JOB_FINISHED),
                    stream.types().stream().distinct().toList(), "progress, the new volume, the end");
            assertEquals(job, stream.events.get(stream.events.size() - 1).payloadAs(Job.class));
            assertEquals(Job.State.SUCCEEDED, job.state(), job.toString());
            assertEquals(Job.Kind.IMPORT, job.kind());
            assertEquals("v1", job.subject());
            assertEquals(bytes.length, job.bytesTotal());
            assertEquals(bytes.length, job.bytesDone());
            assertTrue(job.finished() != null && !job.finished().isBefore(job.started()));
            assertEquals(3 << 20, api.volumes().get(0).sizeBytes());

            Path out = tmp.resolve("out.img");
            assertEquals(Job.State.SUCCEEDED, awaitEnd(api, api.startExport("v1", out.toString())).state());
            assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(out)));

            Path folder = Files.createDirectories(tmp.resolve("a-folder"));
            Files.write(folder.resolve("keep"), new byte[1]);
            Job failed = awaitEnd(api, api.startExport("v1", folder.toString()));
            assertEquals(Job.State.FAILED, failed.state());
            assertEquals("could not export volume v1 to " + folder + ": " + folder + " is a folder", failed.message());
            assertFalse(Files.exists(tmp.resolve("a-folder.part")), "no half file left");
            var noFolder = assertThrows(IllegalArgumentException.class,
                    () -> api.startExport("v1", tmp.resolve("no/such/dir/x.img").toString()));
            assertTrue(noFolder.getMessage().contains("does not exist: create it"), noFolder.getMessage());

            // the blocking forms wait for the job
            api.importVolume("v2", image.toString());
            assertEquals(2, api.volumes().size());
            assertTrue(api.jobs().size() >= 4, api.jobs().toString());
            assertThrows(IllegalArgumentException.class, () -> api.startImport("v3", tmp.resolve("missing").toString()));
            assertThrows(IllegalArgumentException.class, () -> api.job(999_999));
        }
    }

    @Test
    void aCancelledImportLeavesNoVolumeBehind() throws Exception {
        Path data = tmp.resolve("data");
        Path image = tmp.resolve("huge.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 30); // sparse: reading it takes long enough to cancel half way
        }
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             NetrootControl api = Netroot.attach(data)) {
            Job job = api.startImport("big", image.toString());
            long deadline = System.currentTimeMillis() + 20_000;
            Job now = api.job(job.id());
            while (now.bytesDone() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
                now = api.job(job.id());
            }
            assertTrue(now.bytesDone() > 0 && now.bytesDone() < now.bytesTotal(), "progress half way: " + now);
            assertEquals(64L << 30, now.bytesTotal());
            api.cancelJob(job.id());
            Job end = awaitEnd(api, job);
            assertEquals(Job.State.CANCELLED, end.state(), end.toString());
            assertTrue(api.volumes().isEmpty());
            assertFalse(Files.exists(data.resolve("volumes").resolve("big.img")), "no half volume file");
            Path small = Files.write(tmp.resolve("small.img"), new byte[4096]);
            assertEquals(4096, api.importVolume("big", small.toString()).sizeBytes(), "the name is free again");
        }
    }

    static Job awaitEnd(NetrootControl api, Job job) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Job j = api.job(job.id());
        while (!j.ended() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            j = api.job(job.id());
        }
        assertTrue(j.ended(), "job did not end: " + j);
        return j;
    }
}
