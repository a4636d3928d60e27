package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/**
 * blksize 1468 on a path whose MTU is smaller (an overlay network, a VPN): plain datagrams get
 * fragmented, but the kernel refuses UDP GSO sends (EMSGSIZE). The service must notice and send
 * block by block. A namespace whose loopback has MTU 1400 models the path; atftp is the client.
 */
// longer than the default (junit-platform.properties): a server started in a namespace, then a 4 MiB transfer of up to 60 s
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TftpSmallMtuTest {
    @TempDir Path dir;
    final String ns = "nrmtu" + ProcessHandle.current().pid();
    Process server;

    @AfterEach
    void cleanUp() throws Exception {
        Processes.stop(server, 5);
        if (Planted.runningAsRoot()) Processes.runCombined(30, "ip", "netns", "del", ns);
    }

    static void sh(String... command) throws IOException, InterruptedException {
        Processes.check(30, command);
    }

    @Test
    void windowedTransferSurvivesAPathMtuBelowTheBlockSize() throws Exception {
        Assumptions.assumeTrue(Planted.runningAsRoot(), "needs root for a network namespace");
        Assumptions.assumeTrue(Processes.has("atftp"), "atftp is not installed (Debian package atftp)");
        Path root = Files.createDirectories(dir.resolve("root"));
        byte[] file = new byte[4 * 1024 * 1024 + 5];
        new Random(1400).nextBytes(file);
        Files.write(root.resolve("f.bin"), file);
        sh("ip", "netns", "add", ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        sh("ip", "-n", ns, "link", "set", "lo", "mtu", "1400");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = Processes.start(300, new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                TftpServeMain.class.getName(), "127.0.0.1", "69", root.toString()).redirectErrorStream(true));
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            } catch (IOException ignored) {
                // stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < 150 && !lines.contains("READY"); i++) Thread.sleep(200);
        assertTrue(lines.contains("READY"), "server did not start: " + lines);

        Path out = dir.resolve("out.bin");
        Processes.Combined atftp = Processes.runCombined(60, "ip", "netns", "exec", ns, "atftp", "--option", "blksize 1468",
                "--option", "windowsize 16", "-g", "-r", "f.bin", "-l", out.toString(), "127.0.0.1", "69");
        assertEquals(0, atftp.exit(), atftp.output() + lines);
        assertArrayEquals(file, Files.readAllBytes(out));
    }
}
