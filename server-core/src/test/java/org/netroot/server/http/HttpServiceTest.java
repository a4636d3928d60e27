package org.netroot.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.api.Volume;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.PeerAddressRepository;
import org.netroot.server.store.StoreWriter;
import org.netroot.server.store.VolumeRepository;
import org.netroot.server.testing.Processes;

/** The boot HTTP service on loopback, with curl as the peer. */
class HttpServiceTest {
    @TempDir Path tmp;
    private Database db;
    private HttpService http;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();
    private final InputErrors errors = new InputErrors();
    private final PeerDirectory peers = new PeerDirectory();
    private byte[] asset;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("curl"), "curl is not installed (Debian package curl): skipping HTTP peer tests");
        db = Database.open(tmp.resolve("data"));
        new VolumeRepository(db).add(new Volume("v1", 1 << 20, "v1.img", java.time.Instant.now()));
        new ClientRepository(db).add(Client.sanboot("c1", "52:54:00:00:00:01", "v1"));
        new VolumeRepository(db).add(new Volume("v2", 1 << 20, "v2.img", java.time.Instant.now()));
        new ClientRepository(db).add(new Client("c2", "52:54:00:00:00:02", "v2", null, null, null, "chap-secret-12",
                null, null, null));
        Path files = Files.createDirectories(tmp.resolve("files"));
        asset = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(asset);
        Files.write(files.resolve("vmlinuz"), asset);
        Files.writeString(tmp.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(files.resolve("escape"), tmp.resolve("secret.txt"));
        http = new HttpService(new HttpSettings("127.0.0.1", 0, 3260, files, tmp), db.clientDirectory(),
                events::add, peers, errors);
        http.start();
    }

    @AfterEach
    void stop() {
        if (http != null) http.stop();
        if (db != null) db.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.port() + path;
    }

    @Test
    void servesTheClientsScriptAndRecordsIt() throws Exception {
        var r = Processes.run(10, "curl", "-sS", "-f", url("/boot/52-54-00-00-00-01.ipxe"));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("#!ipxe\n"), r.stdout());
        assertTrue(r.stdout().contains("sanboot iscsi:127.0.0.1::::iqn.2026-01.org.netroot:c1"), r.stdout());
        waitFor(() -> events.stream().anyMatch(e -> e.type() == BootEventType.SCRIPT_SERVED
                && "52:54:00:00:00:01".equals(e.mac())));
        // real iPXE percent-encodes the colons of the URL it got from DHCP
        var encoded = Processes.run(10, "curl", "-sS", "-f", url("/boot/52%3A54%3A00%3A00%3A00%3A01.ipxe"));
        assertTrue(encoded.stdout().contains("iqn.2026-01.org.netroot:c1"), encoded.stdout());
    }

    @Test
    void wholeFileAndRangesAreByteExact() throws Exception {
        Path out = tmp.resolve("out");
        var whole = Processes.run(20, "curl", "-sS", "-f", "-o", out.toString(), url("/files/vmlinuz"));
        assertEquals(0, whole.exitCode(), whole.stderr());
        assertArrayEquals(asset, Files.readAllBytes(out));
        waitFor(() -> events.stream().anyMatch(e -> e.type() == BootEventType.BOOT_FILE_SENT
                && e.bytes() == asset.length && e.durationMs() != null));

        var part = Processes.run(20, "curl", "-sS", "-D", "-", "-o", out.toString(), "-r", "1000-1999", url("/files/vmlinuz"));
        assertTrue(part.stdout().startsWith("HTTP/1.1 206"), part.stdout());
        assertTrue(part.stdout().contains("content-range: bytes 1000-1999/" + asset.length), part.stdout());
        assertArrayEquals(Arrays.copyOfRange(asset, 1000, 2000), Files.readAllBytes(out));

        var head = Processes.run(10, "curl", "-sS", "-I", url("/files/vmlinuz"));
        assertTrue(head.stdout().contains("content-length: " + asset.length), head.stdout());

        var beyond = Processes.run(10, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-r",
                asset.length + "-", url("/files/vmlinuz"));
        assertEquals("416", beyond.stdout());
    }

    @Test
    void pathsLeavingTheBootFilesFolderAreRefused() throws Exception {
        for (String path : List.of("/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/escape",
                "/files/..%5csecret.txt")) {
            var r = Processes.run(10, "curl", "-sS", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", url(path));
            assertTrue(r.stdout().equals("403") || r.stdout().equals("404"), path + " gave " + r.stdout());
        }
        var r = Processes.run(10, "curl", "-sS", "--path-as-is", url("/files/../secret.txt"));
        assertTrue(!r.stdout().contains("top secret"), r.stdout());
    }

    @Test
    void garbageIsCountedAndTheNextClientIsServed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            OutputStream o = s.getOutputStream();
            o.write("\u0001\u0002GARBAGE \u00ff\u00fe\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            s.getInputStream().readAllBytes();
        }
        waitFor(() -> errors.count("HTTP") >= 1);
        var r = Processes.run(10, "curl", "-sS", "-f", url("/boot/52:54:00:00:00:01.ipxe"));
        assertEquals(0, r.exitCode(), r.stderr());
    }

    @Test
    void ipxeBinariesAreServedForHttpBootClients() throws Exception {
        Files.write(tmp.resolve("snponly.efi"), new byte[] {'M', 'Z', 1, 2});
        Path out = tmp.resolve("snp");
        var r = Processes.run(10, "curl", "-sS", "-f", "-o", out.toString(), url("/ipxe/snponly.efi"));
        assertEquals(0, r.exitCode(), r.stderr());
        assertArrayEquals(new byte[] {'M', 'Z', 1, 2}, Files.readAllBytes(out));
        // the firmware's boot step, named and with the URL it fetched
        waitFor(() -> events.stream().anyMatch(e -> e.type() == BootEventType.BOOT_FILE_SENT && e.bytes() == 4
                && e.detail().contains("UEFI HTTP Boot, iPXE binary " + url("/ipxe/snponly.efi"))));
    }

    @Test
    void chapSecretsGoOnlyToTheAddressDhcpSawThatMacAt() throws Exception {
        String c2 = url("/boot/52:54:00:00:00:02.ipxe");
        var unseen = Processes.run(10, "curl", "-sS", "-w", "\n%{http_code}", c2);
        assertTrue(unseen.stdout().endsWith("403"), "DHCP never saw c2: no secrets. " + unseen.stdout());
        waitFor(() -> events.stream().anyMatch(e -> e.type() == BootEventType.ERROR
                && e.detail().contains("refused the script of CHAP client c2")
                && e.detail().contains("has not seen 52:54:00:00:00:02")));

        peers.learn(InetAddress.getByName("127.0.0.2"), "52:54:00:00:00:02");
        var stranger = Processes.run(10, "curl", "-sS", "-w", "\n%{http_code}", c2);
        assertTrue(stranger.stdout().endsWith("403"), stranger.stdout());
        assertTrue(!stranger.stdout().contains("chap-secret-12"), stranger.stdout());
        waitFor(() -> events.stream().anyMatch(e -> e.type() == BootEventType.ERROR
                && e.detail().contains("refused the script of CHAP client c2")
                && e.detail().contains("last saw 52:54:00:00:00:02 at 127.0.0.2")));

        peers.learn(InetAddress.getByName("127.0.0.1"), "52:54:00:00:00:02");
        var owner = Processes.run(10, "curl", "-sS", "-f", c2);
        assertTrue(owner.stdout().contains("set password chap-secret-12"), owner.stdout());
        // a client without CHAP carries no secret: served to anyone, as before
        var plain = Processes.run(10, "curl", "-sS", "-f", url("/boot/52:54:00:00:00:01.ipxe"));
        assertEquals(0, plain.exitCode(), plain.stderr());
    }

    @Test
    void whereDhcpSawAChapClientIsKeptAcrossARestart() throws Exception {
        new VolumeRepository(db).add(new Volume("v3", 1 << 20, "v3.img", java.time.Instant.now()));
        new ClientRepository(db).add(new Client("c3", "52:54:00:00:00:03", "v3", null, null, null, "chap-secret-33",
                null, null, null));
        try (StoreWriter writer = new StoreWriter()) {
            PeerDirectory before = new PeerDirectory(new PeerAddressRepository(db), writer);
            before.learn(InetAddress.getByName("127.0.0.1"), "52:54:00:00:00:02");
            before.learn(InetAddress.getByName("127.0.0.2"), "52:54:00:00:00:03");
        } // closing the writer stores what it was given
        restart();
        try (StoreWriter writer = new StoreWriter()) {
            startHttp(new PeerDirectory(new PeerAddressRepository(db), writer));
            var owner = Processes.run(10, "curl", "-sS", "-f", url("/boot/52:54:00:00:00:02.ipxe"));
            assertTrue(owner.stdout().contains("set password chap-secret-12"), "at its persisted address: "
                    + owner.stdout() + owner.stderr());
            var other = Processes.run(10, "curl", "-sS", "-w", "\n%{http_code}", url("/boot/52:54:00:00:00:03.ipxe"));
            assertTrue(other.stdout().endsWith("403"), "c3 was seen at 127.0.0.2, not here: " + other.stdout());
            assertTrue(!other.stdout().contains("chap-secret-33"), other.stdout());
        }
    }

    @Test
    void aRestartForgetsNoOneAndTrustsNoUnknownAddress() throws Exception {
        try (StoreWriter writer = new StoreWriter(db)) {
            new PeerDirectory(new PeerAddressRepository(db), writer).learn(InetAddress.getByName("127.0.0.1"),
                    "52:54:00:00:00:02");
        }
        restart();
        // what makes the difference is the stored table: without it the same request is refused
        startHttp(new PeerDirectory());
        var forgotten = Processes.run(10, "curl", "-sS", "-w", "\n%{http_code}", url("/boot/52:54:00:00:00:02.ipxe"));
        assertTrue(forgotten.stdout().endsWith("403"), "an empty directory trusts no one: " + forgotten.stdout());
        http.stop();
        try (StoreWriter writer = new StoreWriter(db)) {
            startHttp(new PeerDirectory(new PeerAddressRepository(db), writer));
            var remembered = Processes.run(10, "curl", "-sS", "-f", url("/boot/52:54:00:00:00:02.ipxe"));
            assertTrue(remembered.stdout().contains("set password chap-secret-12"), "at its stored address: "
                    + remembered.stdout() + remembered.stderr());
            var elsewhere = Processes.run(10, "curl", "-sS", "--interface", "127.0.0.2", "-w", "\n%{http_code}",
                    url("/boot/52:54:00:00:00:02.ipxe"));
            assertTrue(elsewhere.stdout().endsWith("403"), "another address is not trusted: " + elsewhere.stdout()
                    + elsewhere.stderr());
            assertFalse(elsewhere.stdout().contains("chap-secret-12"));
        }
    }

    @Test
    void scriptsAreAnsweredFromMemoryWithoutTheDatabase() throws Exception {
        db.close(); // any database read on the script path now fails
        var r = Processes.run(10, "curl", "-sS", "-f", url("/boot/52:54:00:00:00:01.ipxe"));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("iqn.2026-01.org.netroot:c1"), r.stdout());
    }

    /** Stops HTTP and reopens the database, as a server restart does. */
    private void restart() {
        http.stop();
        http = null;
        db.close();
        db = Database.open(tmp.resolve("data"));
    }

    private void startHttp(PeerDirectory directory) throws Exception {
        http = new HttpService(new HttpSettings("127.0.0.1", 0, 3260, tmp.resolve("files"), tmp), db.clientDirectory(),
                events::add, directory, errors);
        http.start();
    }

    @Test
    void anUnknownMachineRetryingFillsTheTimelineOncePerMinute() throws Exception {
        for (int i = 0; i < 3; i++) Processes.run(10, "curl", "-sS", "-f", url("/boot/52:54:00:00:00:98.ipxe"));
        Thread.sleep(200);
        assertEquals(1, events.stream().filter(e -> "52:54:00:00:00:98".equals(e.mac())).count());
    }

    @Test
    void unknownMacGetsAScriptThatExplainsAndRetries() throws Exception {
        var r = Processes.run(10, "curl", "-sS", "-f", url("/boot/52:54:00:00:00:99.ipxe"));
        assertTrue(r.stdout().contains("is not set up yet"), r.stdout());
        assertTrue(r.stdout().contains("chain --replace"), r.stdout());
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(20);
        }
    }
}
