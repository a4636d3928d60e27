package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.http.HttpService;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** The asset library end to end: the CLI offline and against a running server, which then serves the asset. */
class AssetCliTest {
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

    private Path file(String name, int size, int seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Files.write(tmp.resolve(name), b);
    }

    @Test
    void addListServeAndRemoveAKernelAndAnInitrd() throws Exception {
        Path vmlinuz = file("vmlinuz-6.1", 5 << 20, 1);
        Path initrd = file("initrd.img-6.1", 1 << 20, 2);
        String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(vmlinuz)));

        // no server: the data folder directly, with the progress line a pipe gets
        CliRun added = ok("asset", "add", vmlinuz.toString(), "k61");
        assertTrue(added.out().contains("] 100%") && added.out().contains("add asset k61"), added.out());
        assertTrue(added.out().contains("added asset k61: kernel, 5 MiB (5242880 bytes), sha256 " + sum), added.out());
        CliRun bad = cli("asset", "add", initrd.toString(), "../k");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("asset names use letters"), bad.err());

        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data(), tmp));
             RemoteControl api = RemoteControl.connect(data()).orElseThrow()) {
            List<ChangeEvent> changes = new CopyOnWriteArrayList<>();
            AutoCloseable stream = api.subscribe(0, changes::add);
            ok("asset", "add", initrd.toString(), "i61", "--kind", "initrd");
            String list = ok("asset", "list").out();
            assertTrue(list.contains("k61") && list.contains("kernel") && list.contains(sum), list);
            assertTrue(list.contains("i61") && list.contains("initrd"), list);

            int port = server.service(HttpService.class).port();
            HttpResponse<byte[]> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/assets/k61")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, got.statusCode());
            assertArrayEquals(Files.readAllBytes(vmlinuz), got.body());

            api.createVolume("v1", 1 << 20);
            api.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "v1").withBoot(BootMode.KERNEL,
                    BootOptions.NONE.withKernel(new KernelBoot("k61", "i61", "quiet"))));
            CliRun refused = cli("asset", "remove", "i61");
            assertEquals(2, refused.code());
            assertTrue(refused.err().contains("asset i61 is what client pc1 boots (boot mode kernel)"), refused.err());
            Client pc1 = api.clients().getFirst();
            api.updateClient("pc1", pc1.withBoot(BootMode.SANBOOT, null));
            ok("asset", "remove", "i61");
            assertFalse(Files.exists(data().resolve("assets/i61")));
            assertFalse(ok("asset", "list").out().contains("i61"));

            long deadline = System.nanoTime() + 5_000_000_000L;
            while (changes.stream().noneMatch(e -> e.type() == ChangeType.ASSET_REMOVED) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(changes.stream().anyMatch(e -> e.type() == ChangeType.ASSET_ADDED && e.subject().equals("i61")), "" + changes);
            assertTrue(changes.stream().anyMatch(e -> e.type() == ChangeType.ASSET_REMOVED && e.subject().equals("i61")), "" + changes);
            stream.close();
        }
    }
}
