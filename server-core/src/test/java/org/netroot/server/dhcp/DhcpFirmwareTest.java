package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/**
 * Real firmware against proxy mode, beside a "home router" (dnsmasq with a range and no boot
 * options) as PROTOCOLS.md asks: QEMU's BIOS iPXE ROM must fetch and run its script over HTTP, and
 * OVMF's own UEFI PXE must go through the port-4011 exchange and ask TFTP for snponly.efi. The
 * service runs in {@link DhcpTestServer}, which also stands in for TFTP (logs the read request) and
 * HTTP. Slow (QEMU under tcg, about a minute): runs only with -Dnetroot.firmware=true, as root,
 * with qemu-system-x86, ovmf, ipxe-qemu and dnsmasq-base installed.
 */
// longer than the default (junit-platform.properties): two firmware boots under QEMU, up to 150 s each
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DhcpFirmwareTest {
    private static final String BIOS_MAC = "52:54:00:30:00:01";
    private static final String UEFI_MAC = "52:54:00:30:00:02";
    private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    @TempDir
    Path tmp;
    private final String id = "nrf" + ProcessHandle.current().pid() % 100000;
    private final String serverNs = id + "s";
    private final String routerNs = id + "r";
    private final List<Process> processes = new ArrayList<>();
    private final List<String> serverOut = new CopyOnWriteArrayList<>();

    @Test
    void biosIpxeAndOvmfBootThroughTheProxyBesideARouter() throws Exception {
        boot(true);
        // UEFI: the firmware asked the boot server on 4011 and then TFTP for the file from our ACK,
        // from the address the router leased it
        await(l -> l.startsWith("EVENT PROXY_ACK " + UEFI_MAC + " proxy (boot server port 4011)"), 150);
        await(l -> l.startsWith("TFTP-RRQ snponly.efi from 198.18.30.1") && !l.endsWith(" 198.18.30.1"), 60);
        String routerLeases = Files.readString(tmp.resolve("router.leases"));
        assertTrue(routerLeases.contains(BIOS_MAC) && routerLeases.contains(UEFI_MAC),
                "both addresses come from the router: " + routerLeases);
        assertTrue(serverOut.stream().noneMatch(l -> l.startsWith("EVENT ERROR")), serverOut.toString());
    }

    @Test
    void biosIpxeAndOvmfBootInFullMode() throws Exception {
        boot(false);
        // OVMF leased from us (range .100-.150) and asked TFTP for the file of our ACK from that address
        await(l -> l.startsWith("EVENT DHCP_ACK " + UEFI_MAC) && l.contains("snponly.efi"), 150);
        await(l -> l.matches("TFTP-RRQ snponly\\.efi from 198\\.18\\.30\\.1[0-4][0-9]"), 60);
        assertTrue(serverOut.stream().anyMatch(l -> l.startsWith("EVENT DHCP_ACK " + BIOS_MAC)), serverOut.toString());
        assertTrue(serverOut.stream().noneMatch(l -> l.startsWith("EVENT ERROR")), serverOut.toString());
    }

    /** Namespace, optional router, the service, both QEMU clients; waits for the BIOS client's script to run. */
    private void boot(boolean proxy) throws Exception {
        assumeTrue(Boolean.getBoolean("netroot.firmware"), "slow QEMU firmware test: run with -Dnetroot.firmware=true");
        assumeTrue(Processes.isRoot(), "needs root for network namespaces");
        for (String tool : List.of("/usr/bin/qemu-system-x86_64", "/usr/sbin/dnsmasq", OVMF_CODE.toString(),
                "/usr/lib/ipxe/qemu/pxe-e1000.rom")) {
            assumeTrue(Files.exists(Path.of(tool)), "needs " + tool);
        }
        String s = serverNs;
        DhcpNamespaceTest.sh("ip netns add " + s + " && ip -n " + s + " link set lo up"
                + " && ip -n " + s + " link add br0 type bridge && ip -n " + s + " addr add 198.18.30.1/24 dev br0"
                + " && ip -n " + s + " link set br0 up"
                + " && ip netns exec " + s + " ip tuntap add dev tap0 mode tap"
                + " && ip netns exec " + s + " ip tuntap add dev tap1 mode tap"
                + " && ip -n " + s + " link set tap0 master br0 && ip -n " + s + " link set tap0 up"
                + " && ip -n " + s + " link set tap1 master br0 && ip -n " + s + " link set tap1 up"
                + " && ip netns add " + routerNs + " && ip -n " + routerNs + " link set lo up"
                + " && ip -n " + s + " link add vr0 type veth peer name eth0 netns " + routerNs
                + " && ip -n " + s + " link set vr0 master br0 && ip -n " + s + " link set vr0 up"
                + " && ip -n " + routerNs + " addr add 198.18.30.2/24 dev eth0"
                + " && ip -n " + routerNs + " link set eth0 up");
        Path leases = tmp.resolve("router.leases");
        if (proxy) start(List.of("ip", "netns", "exec", routerNs, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0",
                "--interface=eth0", "--bind-interfaces", "--dhcp-range=198.18.30.100,198.18.30.200,12h",
                "--dhcp-leasefile=" + leases), tmp.resolve("dnsmasq.log"));

        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        for (String f : List.of("undionly.kpxe", "snponly.efi")) Files.write(ipxe.resolve(f), new byte[1]);
        Path www = Files.createDirectories(tmp.resolve("www/boot"));
        Files.writeString(www.resolve(BIOS_MAC + ".ipxe"), "#!ipxe\nchain http://198.18.30.1/script-ran\n");
        Process server = start(List.of("ip", "netns", "exec", s, DhcpNamespaceTest.javaBin(), "-cp",
                System.getProperty("java.class.path"), DhcpTestServer.class.getName(), "--data",
                tmp.resolve("data").toString(), "--ipxe", ipxe.toString(), "--mode", proxy ? "proxy" : "full", "--range",
                "198.18.30.100-198.18.30.150", "--interface", "br0", "--observe-tftp", "--http-dir",
                tmp.resolve("www").toString()), tmp.resolve("server.log"));
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = server.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) serverOut.add(line);
            } catch (IOException e) {
                // ended
            }
        });
        await(l -> l.equals("READY true"), 60); // a JVM that opens and migrates a database: seconds under CI load

        start(List.of("ip", "netns", "exec", s, "qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-m", "256",
                "-no-reboot", "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
                "-device", "e1000,netdev=n0,mac=" + BIOS_MAC, "-boot", "n"), tmp.resolve("bios.log"));
        Path vars = tmp.resolve("vars.fd");
        Files.copy(OVMF_VARS, vars);
        start(List.of("ip", "netns", "exec", s, "qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-m", "256",
                "-no-reboot", "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                "-drive", "if=pflash,format=raw,file=" + vars,
                "-netdev", "tap,id=n1,ifname=tap1,script=no,downscript=no",
                // romfile= : OVMF's own virtio driver and PXE client, not an iPXE option ROM
                "-device", "virtio-net-pci,netdev=n1,romfile=,mac=" + UEFI_MAC, "-boot", "n"), tmp.resolve("uefi.log"));

        // BIOS: iPXE (the NIC ROM) took its script URL from our proxy offer and ran the script
        await(l -> l.equals("HTTP GET /boot/" + BIOS_MAC + ".ipxe"), 150);
        await(l -> l.equals("HTTP GET /script-ran"), 30);
    }

    private Process start(List<String> cmd, Path log) throws IOException {
        Process p = Processes.start(600, new ProcessBuilder(cmd).redirectError(log.toFile())
                .redirectOutput(cmd.contains(DhcpTestServer.class.getName()) ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.appendTo(log.toFile())));
        processes.add(p);
        return p;
    }

    private void await(Predicate<String> line, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (serverOut.stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen in time; server output: " + serverOut + "\nserver log:\n"
                        + Files.readString(tmp.resolve("server.log")));
            }
            Thread.sleep(100);
        }
    }

    @AfterEach
    void cleanup() throws Exception {
        for (Process p : processes.reversed()) {
            Processes.stop(p, 5);
        }
        if (Processes.isRoot()) {
            for (String ns : List.of(routerNs, serverNs)) DhcpNamespaceTest.sh("ip netns del " + ns + " 2>/dev/null || true");
        }
    }
}
