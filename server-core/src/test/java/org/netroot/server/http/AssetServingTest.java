package org.netroot.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.Client;
import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallPhases;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/**
 * The asset library over HTTP: by name only, whole or by range, sent from the file (zero-copy), each
 * whole asset a boot event; nothing else in or around the folder is reachable.
 */
class AssetServingTest {
    static final String MAC = "52:54:00:00:00:07";
    @TempDir Path tmp;
    private HttpService http;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();
    private final PeerDirectory peers = new PeerDirectory();
    private byte[] kernel;
    private Path assets;
    private BootPlanner planner;

    @BeforeEach
    void start() throws Exception {
        assets = Files.createDirectories(tmp.resolve("data/assets"));
        kernel = new byte[2 * 1024 * 1024 + 333];
        new Random(5).nextBytes(kernel);
        Files.write(assets.resolve("vmlinuz"), kernel);
        Files.writeString(assets.resolve("not-recorded"), "a file nobody added");
        Files.writeString(assets.resolve(".iso.part-1"), "an add in progress");
        Files.writeString(tmp.resolve("data/netroot.mv.db"), "the database");
        Files.createSymbolicLink(assets.resolve("escape"), tmp.resolve("data/netroot.mv.db"));
        List<Asset> library = List.of(new Asset("vmlinuz", AssetKind.KERNEL, kernel.length, "00".repeat(32), Instant.now()),
                new Asset("escape", AssetKind.INITRD, 12, "00".repeat(32), Instant.now()),
                new Asset("gone", AssetKind.INITRD, 12, "00".repeat(32), Instant.now()));
        // a kernel with no initrd and a root that is not its volume: the kernel is the boot's last file
        Client pc = Client.sanboot("pc7", MAC, "v7").withBoot(BootMode.KERNEL,
                BootOptions.NONE.withKernel(new KernelBoot("vmlinuz", null, "console=ttyS0 root=/dev/ram0")));
        planner = new BootPlanner(mac -> mac.equals(MAC) ? Optional.of(pc) : Optional.empty(),
                AssetCatalog.of(library, assets), InstallPhases.NONE, 3260);
        peers.learn(InetAddress.getLoopbackAddress(), MAC);
        http = new HttpService(new HttpSettings("127.0.0.1", 0, 3260, null, tmp.resolve("ipxe")), planner, events::add,
                peers, new InputErrors());
        http.start();
    }

    @AfterEach
    void stop() {
        if (http != null) http.stop();
    }

    /** What came back for one raw request line: the status line, the headers, the body. */
    record Reply(String status, Map<String, String> headers, byte[] body) {
    }

    private Reply request(String method, String target, String... headers) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            for (String h : headers) req.append(h).append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] all = s.getInputStream().readAllBytes();
            int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String[] head = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                h.put(head[i].substring(0, colon).trim(), head[i].substring(colon + 1).trim());
            }
            return new Reply(head[0], h, Arrays.copyOfRange(all, end + 4, all.length));
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("no end of headers");
    }

    @Test
    void aWholeAssetIsSentAndNamedInItsBootEvent() throws Exception {
        Reply r = request("GET", "/assets/vmlinuz");
        assertEquals("HTTP/1.1 200 OK", r.status());
        assertArrayEquals(kernel, r.body());
        assertEquals("bytes", r.headers().get("Accept-Ranges"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (events.stream().noneMatch(e -> e.type() == BootEventType.BOOT_FILE_SENT) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        BootEvent sent = events.stream().filter(e -> e.type() == BootEventType.BOOT_FILE_SENT).findFirst().orElseThrow();
        assertEquals("http asset vmlinuz (kernel), boot mode kernel", sent.detail());
        assertEquals(MAC, sent.mac());
        assertEquals(kernel.length, sent.bytes());
        assertTrue(sent.durationMs() >= 0);
    }

    @Test
    void theBootsLastFileSentWholeHandsTheBootOverAndARangeDoesNot() throws Exception {
        request("GET", "/assets/vmlinuz", "Range: bytes=0-99");
        Reply r = request("GET", "/assets/vmlinuz");
        assertEquals("HTTP/1.1 200 OK", r.status());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (events.stream().noneMatch(e -> e.type() == BootEventType.HANDED_OVER) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(BootEventType.BOOT_FILE_SENT, BootEventType.HANDED_OVER),
                events.stream().map(BootEvent::type).toList(), "one file event, then the hand-over; none for the range");
        BootEvent over = events.get(1);
        assertEquals(MAC, over.mac());
        assertTrue(over.detail().startsWith("kernel vmlinuz started"), over.detail());
    }

    @Test
    void rangesAreAnsweredAsIpxeAsksForThem() throws Exception {
        Reply part = request("GET", "/assets/vmlinuz", "Range: bytes=1000-1999");
        assertEquals("HTTP/1.1 206 Partial Content", part.status());
        assertEquals("bytes 1000-1999/" + kernel.length, part.headers().get("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(kernel, 1000, 2000), part.body());
        Reply tail = request("GET", "/assets/vmlinuz", "Range: bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(kernel, kernel.length - 10, kernel.length), tail.body());
        Reply past = request("GET", "/assets/vmlinuz", "Range: bytes=" + kernel.length + "-");
        assertEquals("HTTP/1.1 416 Requested Range Not Satisfiable", past.status());
        Reply head = request("HEAD", "/assets/vmlinuz");
        assertEquals(Integer.toString(kernel.length), head.headers().get("Content-Length"));
        assertEquals(0, head.body().length);
        assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.BOOT_FILE_SENT && e.bytes() < kernel.length),
                "ranges are a disk being read, not boot steps: " + events);
    }

    @Test
    void onlyNamesTheLibraryHoldsAreServedNeverAPath() throws Exception {
        for (String target : List.of("/assets/../netroot.mv.db", "/assets/%2e%2e/netroot.mv.db",
                "/assets/..%2fnetroot.mv.db", "/assets/%2E%2E%2Fnetroot.mv.db", "/assets//etc/passwd",
                "/assets/%2fetc%2fpasswd", "/assets/not-recorded", "/assets/.iso.part-1", "/assets/", "/assets/vmlinuz/",
                "/assets/vmlinuz%00", "/assets/sub/vmlinuz", "/assets/..\\netroot.mv.db", "/assets/gone")) {
            Reply r = request("GET", target);
            assertTrue(r.status().contains(" 404 ") || r.status().contains(" 400 "), target + " -> " + r.status());
            assertTrue(!new String(r.body(), StandardCharsets.ISO_8859_1).contains("the database")
                    && !new String(r.body(), StandardCharsets.ISO_8859_1).contains("nobody added"), target);
        }
        Reply link = request("GET", "/assets/escape");
        assertTrue(link.status().contains(" 403 "), "a recorded name whose file links out: " + link.status());
    }

    @Test
    void theDecisionRefusesTraversalWithoutASocketToo() throws Exception {
        BootRoutes routes = new BootRoutes(planner, peers, new AssetResolver(null), new AssetResolver(null), events::add);
        for (String uri : List.of("/assets/../../etc/passwd", "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/assets/a/../vmlinuz")) {
            BootRoutes.Failure f = assertInstanceOf(BootRoutes.Failure.class,
                    routes.answer("GET", uri, null, "http://127.0.0.1", "127.0.0.1", InetAddress.getLoopbackAddress()), uri);
            assertEquals(404, f.status(), uri);
        }
        BootRoutes.Asset a = assertInstanceOf(BootRoutes.Asset.class, routes.answer("GET", "/assets/vmlinuz", null,
                "http://127.0.0.1", "127.0.0.1", InetAddress.getLoopbackAddress()));
        assertEquals(assets.resolve("vmlinuz").toRealPath(), a.file());
        assertNull(a.range());
    }
}
