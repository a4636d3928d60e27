package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.testing.Processes;

/**
 * Real TFTP clients against the service on loopback: curl (Debian package curl) and atftp
 * (package atftp, which negotiates RFC 7440 windowsize). Each test skips when its tool is missing.
 * Times are printed for information only.
 */
// longer than the default (junit-platform.properties): real clients fetching large files, up to 120 s each
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TftpRealClientsTest {
    static final int BIG = 64 * 1024 * 1024;
    static final String SECRET = "root:secret-hash-that-must-not-leak";

    @TempDir static Path dir;
    static Path root;
    static Path outside;
    static String bigHash;
    /** the default service (epoll on Linux) */
    static TftpService service;
    /** the same on plain NIO, the fallback where epoll is missing */
    static TftpService nio;
    static final List<BootEvent> events = new CopyOnWriteArrayList<>();
    static final InputErrors errors = new InputErrors();

    @BeforeAll
    static void serve() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        outside = Files.createDirectories(dir.resolve("outside"));
        byte[] big = new byte[BIG];
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < BIG; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) big[i + j] = (byte) (v >>> (8 * j));
        }
        Files.write(root.resolve("big.bin"), big);
        bigHash = sha256(root.resolve("big.bin"));
        Files.writeString(outside.resolve("passwd"), SECRET);
        Planted.byUser(Files.createSymbolicLink(root.resolve("escape"), outside.resolve("passwd")));
        Files.createDirectories(root.resolve("efi"));
        Files.writeString(root.resolve("efi/inside.txt"), "inside the root");
        Files.createSymbolicLink(root.resolve("alias.txt"), Path.of("efi/inside.txt"));
        TftpSettings settings = new TftpSettings(InetAddress.getLoopbackAddress(), 0, List.of(root), Duration.ofSeconds(1), 5);
        service = new TftpService(settings, events::add, new PeerDirectory(), errors);
        service.start();
        nio = new TftpService(settings, events::add, new PeerDirectory(), errors, false);
        nio.start();
    }

    @AfterAll
    static void stop() {
        if (service != null) service.stop();
        if (nio != null) nio.stop();
    }

    static TftpService server(boolean epoll) {
        return epoll ? service : nio;
    }

    record Run(int exit, String output, long millis) { }

    static Run run(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Processes.Combined r = Processes.runCombined(120, command);
        if (r.exit() == -1) throw new AssertionError(r.output());
        return new Run(r.exit(), r.output(), (System.nanoTime() - start) / 1_000_000);
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    String url(String path) {
        return url(service, path);
    }

    static String url(TftpService server, String path) {
        return "tftp://127.0.0.1:" + server.port() + "/" + path;
    }

    static List<String> atftp(String remote, Path local, String... options) {
        return atftp(service, remote, local, options);
    }

    static List<String> atftp(TftpService server, String remote, Path local, String... options) {
        List<String> cmd = new ArrayList<>(List.of("atftp"));
        for (String o : options) cmd.addAll(List.of("--option", o));
        cmd.addAll(List.of("-g", "-r", remote, "-l", local.toString(), "127.0.0.1", Integer.toString(server.port())));
        return cmd;
    }

    private void fetchBig(String client, List<String> command, Path out, String expectedDetail) throws Exception {
        int before = (int) events.stream().filter(e -> e.type() == BootEventType.BOOT_FILE_SENT).count();
        Run r = run(command);
        assertEquals(0, r.exit(), client + " failed: " + r.output());
        assertEquals(bigHash, sha256(out), client + ": the bytes differ");
        System.out.printf("TFTP 64 MiB, %s: %d ms (%.1f MB/s)%n", client, r.millis(), BIG / 1e3 / r.millis());
        for (int i = 0; i < 250; i++) { // 5 s: the server records the transfer after the client's last ACK, on its own thread
            List<BootEvent> sent = events.stream().filter(e -> e.type() == BootEventType.BOOT_FILE_SENT).toList();
            var ours = sent.subList(Math.min(before, sent.size()), sent.size()).stream()
                    .filter(e -> e.detail().equals(expectedDetail)).findFirst();
            if (ours.isPresent()) {
                assertEquals((long) BIG, ours.get().bytes());
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no BOOT_FILE_SENT \"" + expectedDetail + "\" in " + events);
    }

    static String layer(boolean epoll) {
        return epoll ? "epoll" : "NIO";
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void curlFetches64MiBAtBlksize1468(boolean epoll) throws Exception {
        Assumptions.assumeTrue(Processes.has("curl"), "curl is not installed (Debian package curl)");
        Path out = dir.resolve("curl-1468.bin");
        fetchBig(layer(epoll) + ", curl blksize 1468",
                List.of("curl", "-sS", "--tftp-blksize", "1468", "-o", out.toString(), url(server(epoll), "big.bin")),
                out, "tftp big.bin blksize=1468 windowsize=1");
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void atftpFetches64MiBWithBlksize1468AndWindowsize16(boolean epoll) throws Exception {
        Assumptions.assumeTrue(Processes.has("atftp"), "atftp is not installed (Debian package atftp)");
        Path out = dir.resolve("atftp-1468-w16.bin");
        fetchBig(layer(epoll) + ", atftp blksize 1468 windowsize 16",
                atftp(server(epoll), "big.bin", out, "blksize 1468", "windowsize 16"),
                out, "tftp big.bin blksize=1468 windowsize=16");
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void atftpFetches64MiBAtBlksize512AcrossTheBlockNumberRollover(boolean epoll) throws Exception {
        Assumptions.assumeTrue(Processes.has("atftp"), "atftp is not installed (Debian package atftp)");
        Path out = dir.resolve("atftp-512.bin");
        // 131073 blocks: the block number wraps 65535 -> 0 once
        fetchBig(layer(epoll) + ", atftp blksize 512", atftp(server(epoll), "big.bin", out, "blksize 512"),
                out, "tftp big.bin blksize=512 windowsize=1");
    }

    @Test
    void atftpIsRefusedEveryWayOutOfTheRoot() throws Exception {
        Assumptions.assumeTrue(Processes.has("atftp"), "atftp is not installed (Debian package atftp)");
        String outsidePasswd = outside.resolve("passwd").toString();
        for (String name : List.of("../../etc/passwd", "/etc/passwd", "..\\..\\etc\\passwd", "escape",
                "../outside/passwd", outsidePasswd)) {
            Path out = dir.resolve("atftp-refused.out");
            Files.deleteIfExists(out);
            Run r = run(atftp(name, out));
            assertNotEquals(0, r.exit(), name + ": " + r.output());
            assertTrue(r.output().toLowerCase().contains("access violation"), name + ": " + r.output());
            assertFalse(Files.exists(out) && Files.size(out) > 0, name + ": bytes leaked");
        }
        Path ok = dir.resolve("atftp-alias.out");
        Run r = run(atftp("alias.txt", ok));
        assertEquals(0, r.exit(), r.output());
        assertEquals("inside the root", Files.readString(ok));
    }

    @Test
    void curlIsRefusedOutOfTheRootAndFollowsSymlinksInside() throws Exception {
        Assumptions.assumeTrue(Processes.has("curl"), "curl is not installed (Debian package curl)");
        for (String path : List.of("../../etc/passwd", "/etc/passwd", "..%5C..%5Cetc%5Cpasswd", "escape")) {
            Path out = dir.resolve("curl-refused.out");
            Files.deleteIfExists(out);
            Run r = run(List.of("curl", "-sS", "--path-as-is", "-o", out.toString(), url(path)));
            assertEquals(69, r.exit(), path + " must end in CURLE_TFTP_PERM (ERROR 2): " + r.output());
            assertFalse(Files.exists(out) && Files.readString(out).contains("secret"), path + ": bytes leaked");
        }
        Path ok = dir.resolve("curl-alias.out");
        Run r = run(List.of("curl", "-sS", "-o", ok.toString(), url("alias.txt")));
        assertEquals(0, r.exit(), r.output());
        assertEquals("inside the root", Files.readString(ok));
        Run missing = run(List.of("curl", "-sS", "-o", dir.resolve("missing.out").toString(), url("missing.efi")));
        assertEquals(68, missing.exit(), "CURLE_TFTP_NOTFOUND (ERROR 1): " + missing.output());
    }

    @Test
    void curlAndAtftpTogether() throws Exception {
        Assumptions.assumeTrue(Processes.has("curl") && Processes.has("atftp"), "needs curl and atftp");
        // two transfers at once each on their own TID: neither disturbs the other
        Path a = dir.resolve("together-curl.bin");
        Path b = dir.resolve("together-atftp.bin");
        ProcessBuilder curlCommand = new ProcessBuilder("curl", "-sS", "--tftp-blksize", "1468", "-o", a.toString(), url("big.bin"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process curl = Processes.start(120, curlCommand);
        Run atftp = run(atftp("big.bin", b, "blksize 1468", "windowsize 8"));
        assertEquals(0, Processes.waitFor(curl, 120, curlCommand.command()));
        assertEquals(0, atftp.exit(), atftp.output());
        assertEquals(bigHash, sha256(a));
        assertEquals(bigHash, sha256(b));
    }

}
