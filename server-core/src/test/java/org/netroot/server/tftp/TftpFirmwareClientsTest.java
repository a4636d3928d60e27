package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/**
 * Real firmware as the TFTP client. OVMF's own PXE stack (EDK2 MTFTP4, on a virtio NIC without
 * iPXE's option ROM) first asks for tsize only and ends that with an ERROR (the probe), then reads
 * the file with blksize and windowsize; QEMU's BIOS iPXE ROM reads with blksize 1432. Runs in a network namespace it creates, with
 * dnsmasq for DHCP only (no TFTP) and our service as its own process on port 69.
 * Needs root and the Debian packages qemu-system-x86, ipxe-qemu, ovmf, dnsmasq-base, ipxe, iproute2.
 */
// longer than the default (junit-platform.properties): OVMF/iPXE under QEMU: up to 240 s for a probe, then the file
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TftpFirmwareClientsTest {
    @TempDir Path dir;
    final String ns = "nrtftp" + ProcessHandle.current().pid();
    final List<Process> started = new ArrayList<>();
    final List<String> serverLines = new CopyOnWriteArrayList<>();

    static boolean executable(String path) {
        return Files.isExecutable(Path.of(path));
    }

    static void sh(String... command) throws IOException, InterruptedException {
        Processes.check(30, command);
    }

    Process start(List<String> command, Path log) throws IOException {
        Process p = Processes.start(600, new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()));
        started.add(p);
        return p;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) Processes.stop(p, 5);
        if (Processes.isRoot()) Processes.runCombined(30, "ip", "netns", "del", ns);
    }

    @Test
    void ovmfProbesTheSizeThenReadsTheFile() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/usr/share/OVMF/OVMF_CODE.fd")), "needs ovmf");
        long size = boot(Path.of("/usr/lib/ipxe/ipxe.efi"), vars -> List.of(
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd",
                "-drive", "if=pflash,format=raw,file=" + vars,
                // romfile= : no iPXE ROM, so OVMF's own PXE (EDK2 MTFTP4) is the client
                "-device", "virtio-net-pci,romfile=,netdev=n0,mac=52:54:00:00:09:01"));
        String probe = waitFor(l -> l.startsWith("EVENT TFTP_PROBE"), 240);
        assertTrue(probe.contains("tsize=" + size), probe);
        String sent = waitFor(l -> l.startsWith("EVENT BOOT_FILE_SENT"), 120);
        assertTrue(sent.contains("tftp ipxe.efi ") && sent.endsWith("|" + size), sent);
        assertTrue(serverLines.stream().noneMatch(l -> l.startsWith("EVENT ERROR")), "a probe is not an error: " + serverLines);
        System.out.println("OVMF PXE: " + probe + " / " + sent);
    }

    @Test
    void biosIpxeRomReadsTheFile() throws Exception {
        // QEMU's e1000 boot ROM is iPXE (package ipxe-qemu): the client of most BIOS lab boots
        long size = boot(Path.of("/usr/lib/ipxe/undionly.kpxe"), vars -> List.of(
                "-device", "e1000,netdev=n0,mac=52:54:00:00:09:02"));
        String sent = waitFor(l -> l.startsWith("EVENT BOOT_FILE_SENT"), 240);
        assertTrue(sent.contains("tftp undionly.kpxe ") && sent.endsWith("|" + size), sent);
        System.out.println("BIOS iPXE ROM: " + sent);
    }

    /** Starts DHCP, our TFTP service and a QEMU client in a fresh namespace; returns the boot file's size. */
    private long boot(Path bootFile, java.util.function.Function<Path, List<String>> machine) throws Exception {
        Assumptions.assumeTrue(Planted.runningAsRoot(), "needs root for a network namespace");
        Assumptions.assumeTrue(executable("/usr/bin/qemu-system-x86_64"), "needs qemu-system-x86");
        Assumptions.assumeTrue(executable("/usr/sbin/dnsmasq"), "needs dnsmasq-base (DHCP for the firmware)");
        Assumptions.assumeTrue(Files.isReadable(bootFile), "needs ipxe (" + bootFile + ")");

        Path root = Files.createDirectories(dir.resolve("root"));
        String name = bootFile.getFileName().toString();
        Files.copy(bootFile, root.resolve(name));
        long size = Files.size(root.resolve(name));
        sh("ip", "netns", "add", ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        sh("ip", "-n", ns, "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", ns, "addr", "add", "198.18.9.1/24", "dev", "br0");
        sh("ip", "-n", ns, "link", "set", "br0", "up");
        sh("ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap");
        sh("ip", "-n", ns, "link", "set", "tap0", "master", "br0");
        sh("ip", "-n", ns, "link", "set", "tap0", "up");

        start(List.of("ip", "netns", "exec", ns, "dnsmasq", "--no-daemon", "--port=0", "--interface=br0",
                "--bind-interfaces", "--dhcp-range=198.18.9.100,198.18.9.200,1h", "--dhcp-boot=" + name + ",,198.18.9.1",
                "--dhcp-leasefile=" + dir.resolve("leases"), "--pid-file=" + dir.resolve("dnsmasq.pid")), dir.resolve("dnsmasq.log"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = Processes.start(600, new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                TftpServeMain.class.getName(), "0.0.0.0", "69", root.toString()).redirectErrorStream(true));
        started.add(server);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) serverLines.add(line);
            } catch (IOException ignored) {
                // the server was stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        waitFor(l -> l.equals("READY"), 30);

        Path vars = dir.resolve("vars.fd");
        if (Files.isReadable(Path.of("/usr/share/OVMF/OVMF_VARS.fd"))) Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS.fd"), vars);
        List<String> qemu = new ArrayList<>(List.of("ip", "netns", "exec", ns, "qemu-system-x86_64", "-accel", "tcg",
                "-display", "none", "-m", "256", "-no-reboot", "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no"));
        qemu.addAll(machine.apply(vars));
        qemu.addAll(List.of("-boot", "n"));
        start(qemu, dir.resolve("qemu.log"));
        return size;
    }

    private String waitFor(java.util.function.Predicate<String> wanted, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            for (String line : serverLines) if (wanted.test(line)) return line;
            Thread.sleep(200);
        }
        throw new AssertionError("timed out; server said: " + serverLines + "; dnsmasq: "
                + (Files.exists(dir.resolve("dnsmasq.log")) ? Files.readString(dir.resolve("dnsmasq.log")) : ""));
    }
}
