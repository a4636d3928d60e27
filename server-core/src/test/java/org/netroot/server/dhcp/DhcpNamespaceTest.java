package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/**
 * The real sockets, in network namespaces this test creates: a server namespace with two bridges,
 * br0 (served) and br1 (not served), and a client namespace on each through a veth pair. The
 * service runs in its own JVM inside the server namespace ({@link DhcpTestServer}); clients are
 * {@link DhcpProbe} and busybox udhcpc. Needs root (ip netns) and busybox; skipped otherwise.
 */
// longer than the default (junit-platform.properties): JVMs started in namespaces for the server and each probe
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DhcpNamespaceTest {
    private static final String MAC0 = "52:54:00:10:00:01";
    private static final String MAC1 = "52:54:00:11:00:01";
    /**
     * How long a probe waits for an answer that must come: the server JVM's first DISCOVER runs cold code, and
     * 1.5 s was a short margin on a loaded 2-CPU machine. A probe returns soon after the answer, so this costs
     * nothing when the server answers; probes that must get no answer keep their short waits.
     */
    private static final int ANSWER_MS = 5000;

    @TempDir
    Path tmp;
    private final String id = "nrd" + ProcessHandle.current().pid() % 100000;
    private final String serverNs = id + "s";
    private final String client0 = id + "c0";
    private final String client1 = id + "c1";
    private Process server;
    private final List<String> serverOut = new CopyOnWriteArrayList<>();

    @BeforeEach
    void namespaces() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root to create network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2 (ip)");
        cleanup();
        sh("ip netns add " + serverNs + " && ip -n " + serverNs + " link set lo up"
                + " && ip -n " + serverNs + " link add br0 type bridge && ip -n " + serverNs + " link set br0 up"
                + " && ip -n " + serverNs + " link add br1 type bridge && ip -n " + serverNs + " link set br1 up"
                + " && ip -n " + serverNs + " addr add 198.18.10.1/24 dev br0"
                + " && ip -n " + serverNs + " addr add 198.18.11.1/24 dev br1");
        client(client0, "br0", "v0", "198.18.10.50/24");
        client(client1, "br1", "v1", "198.18.11.50/24");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        for (String f : List.of("undionly.kpxe", "snponly.efi")) Files.write(ipxe.resolve(f), new byte[1]);
    }

    /** A client namespace whose interface "eth0" sits on the bridge; it gets an address so a plain
     *  Java socket can send broadcasts (udhcpc uses a raw socket and does not need it). */
    private void client(String ns, String bridge, String veth, String address) throws Exception {
        sh("ip netns add " + ns + " && ip -n " + ns + " link set lo up"
                + " && ip -n " + serverNs + " link add " + veth + " type veth peer name eth0 netns " + ns
                + " && ip -n " + serverNs + " link set " + veth + " master " + bridge
                + " && ip -n " + serverNs + " link set " + veth + " up"
                + " && ip -n " + ns + " link set eth0 up && ip -n " + ns + " addr add " + address + " dev eth0"
                + " && ip -n " + ns + " route add default dev eth0");
    }

    @AfterEach
    void cleanup() throws Exception {
        if (server != null) {
            server.getOutputStream().close();
            if (!server.waitFor(5, TimeUnit.SECONDS)) Processes.destroyTree(server);
            server = null;
        }
        if (Processes.isRoot()) {
            for (String ns : List.of(client0, client1, serverNs)) sh("ip netns del " + ns + " 2>/dev/null || true");
        }
    }

    @Test
    void proxyModeAnswersOnlyOnTheServedBridgeAndSurvivesGarbage() throws Exception {
        startServer("proxy");

        // one probe JVM runs the br0 client's exchanges in order; the br1 client runs meanwhile
        var onBr1 = java.util.concurrent.CompletableFuture.supplyAsync(() -> probe(client1, MAC1 + ",bios,1500"));
        List<List<String>> br0 = probeSteps(client0, MAC0 + ",bios," + ANSWER_MS, "52:54:00:10:00:02,ovmf," + ANSWER_MS,
                "52:54:00:10:00:02,ovmf," + ANSWER_MS + ",4011:198.18.10.1:198.18.10.50",
                "52:54:00:10:00:03,bios," + ANSWER_MS + ",garbage");
        String offer = only(br0.get(0), "REPLY OFFER");
        assertTrue(offer.startsWith("REPLY OFFER 0.0.0.0 198.18.10.1 undionly.kpxe opt43=060108ff "), offer);
        assertTrue(offer.contains("from=198.18.10.1:67"), offer);
        assertTrue(lengthOf(offer) >= 300, offer);

        assertTrue(only(br0.get(1), "REPLY OFFER").startsWith("REPLY OFFER 0.0.0.0 198.18.10.1 snponly.efi opt43=-"),
                br0.toString());
        String a = only(br0.get(2), "REPLY ACK");
        assertTrue(a.startsWith("REPLY ACK 0.0.0.0 198.18.10.1 snponly.efi"), a);
        assertTrue(a.contains("from=198.18.10.1:4011"), "the boot server ACK must leave from port 4011: " + a);

        // garbage first, then a DISCOVER: still answered
        assertTrue(only(br0.get(3), "REPLY OFFER").startsWith("REPLY OFFER 0.0.0.0"), br0.toString());

        assertEquals(List.of("NO-REPLY"), onBr1.get(), "br1 is not served");
        assertTrue(serverOut.stream().noneMatch(l -> l.contains(MAC1)), "no event for the br1 client: " + serverOut);
        awaitServer(l -> l.equals("DROPPED 2"));
        awaitServer(l -> l.startsWith("FACTS") && l.contains("requests=") && !l.contains("requests=0"));
        String facts = serverOut.stream().filter(l -> l.startsWith("FACTS")).reduce((x, y) -> y).orElseThrow();
        // what the Services view shows: where DHCP listens, its mode and interfaces, and what it handled
        assertTrue(facts.startsWith("FACTS ServiceFacts[addresses=[198.18.10.1], ports=[67, 4011], transport=udp,"
                + " mode=PROXY, interfaces=[br0], requests="), facts);
        assertTrue(Long.parseLong(facts.replaceAll(".*requests=(\\d+)]$", "$1")) >= 6, "every datagram counts: " + facts);
        assertTrue(serverOut.stream().anyMatch(l -> l.startsWith("EVENT PROXY_OFFER " + MAC0)), serverOut.toString());
        assertTrue(serverOut.stream().anyMatch(l -> l.startsWith("EVENT PROXY_ACK 52:54:00:10:00:02")));
    }

    @Test
    void fullModeLeasesToUdhcpcOnTheServedBridgeOnly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")) || Files.isExecutable(Path.of("/usr/bin/busybox")),
                "needs busybox (udhcpc)");
        startServer("full");

        List<String> bios = probe(client0, MAC0 + ",bios," + ANSWER_MS);
        assertTrue(only(bios, "REPLY OFFER").startsWith("REPLY OFFER 198.18.10.100 198.18.10.1 undionly.kpxe opt43=-"),
                bios.toString());

        // busybox udhcpc, a real DHCP client, as a PXE BIOS client: DISCOVER, OFFER, REQUEST, ACK
        Path script = tmp.resolve("udhcpc.sh");
        Files.writeString(script, "#!/bin/sh\necho \"UDHCPC $1 ip=$ip mask=$mask serverid=$serverid siaddr=$siaddr"
                + " boot_file=$boot_file lease=$lease router=$router\"\n");
        script.toFile().setExecutable(true);
        List<String> udhcpc = run(List.of("ip", "netns", "exec", client0, "busybox", "udhcpc", "-i", "eth0", "-f",
                "-q", "-n", "-t", "5", "-T", "2", "-s", script.toString(), "-V", ClientPackets.BIOS_VENDOR,
                "-x", "0x5d:0000"), 30);
        String bound = only(udhcpc, "UDHCPC bound");
        assertTrue(bound.contains("ip=198.18.10.101 mask=24 serverid=198.18.10.1 siaddr=198.18.10.1"
                + " boot_file=undionly.kpxe lease=600 router="), bound);
        awaitServer(l -> l.startsWith("EVENT DHCP_ACK") && l.contains("198.18.10.101"));

        List<String> plain = run(List.of("ip", "netns", "exec", client0, "busybox", "udhcpc", "-i", "eth0", "-f",
                "-q", "-n", "-t", "5", "-T", "2", "-s", script.toString(), "-x", "0x3d:01525400100009",
                "-x", "hostname:plainpc"), 30);
        assertTrue(only(plain, "UDHCPC bound").contains("boot_file= "), "a plain client leases, no boot file: " + plain);

        List<String> udhcpcOnBr1 = run(List.of("ip", "netns", "exec", client1, "busybox", "udhcpc", "-i", "eth0",
                "-f", "-q", "-n", "-t", "2", "-T", "1", "-s", script.toString(), "-V", ClientPackets.BIOS_VENDOR), 10);
        assertTrue(udhcpcOnBr1.stream().noneMatch(l -> l.startsWith("UDHCPC bound")), udhcpcOnBr1.toString());
        assertEquals(List.of("NO-REPLY"), probe(client1, MAC1 + ",bios,1000"));
    }

    @Test
    void eachServedBridgeAnswersWithItsOwnAddress() throws Exception {
        launchServer("proxy", List.of(), "br0", "br1");
        assertTrue(serverOut.contains("READY true"), serverOut.toString());
        var onBr1 = java.util.concurrent.CompletableFuture.supplyAsync(() -> probe(client1, MAC1 + ",bios," + ANSWER_MS));
        String br0 = only(probe(client0, MAC0 + ",bios," + ANSWER_MS), "REPLY OFFER");
        assertTrue(br0.startsWith("REPLY OFFER 0.0.0.0 198.18.10.1 undionly.kpxe") && br0.contains("from=198.18.10.1:67"),
                br0);
        String br1 = only(onBr1.get(), "REPLY OFFER");
        assertTrue(br1.startsWith("REPLY OFFER 0.0.0.0 198.18.11.1 undionly.kpxe") && br1.contains("from=198.18.11.1:67"),
                br1);
    }

    @Test
    void withoutThePrivilegeForPort67TheErrorNamesThePortAndTheFix() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to drop a capability");
        launchServer("proxy", List.of("setpriv", "--bounding-set", "-net_bind_service", "--"));
        String failed = serverOut.stream().filter(l -> l.startsWith("FAILED")).findFirst().orElseThrow(
                () -> new AssertionError("started without CAP_NET_BIND_SERVICE: " + serverOut));
        assertTrue(failed.contains("DHCP: port 67/udp (DHCP) needs privileges") && failed.endsWith("(on br0)"), failed);
        assertTrue(failed.contains("sudo setcap cap_net_bind_service,cap_net_raw=+ep " + javaBin()), failed);
        assertTrue(failed.contains("system service"), failed);
    }

    private void startServer(String mode) throws Exception {
        launchServer(mode, List.of());
        assertTrue(serverOut.contains("READY true"), serverOut + "\n" + Files.readString(tmp.resolve("server.log")));
    }

    private void launchServer(String mode, List<String> wrapper, String... interfaces) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", serverNs));
        cmd.addAll(wrapper);
        cmd.addAll(List.of(javaBin(), "-cp",
                System.getProperty("java.class.path"), DhcpTestServer.class.getName(), "--data",
                tmp.resolve("data").toString(), "--ipxe", tmp.resolve("ipxe").toString(),
                "--mode", mode));
        for (String i : interfaces.length == 0 ? new String[] {"br0"} : interfaces) cmd.addAll(List.of("--interface", i));
        if (mode.equals("full")) cmd.addAll(List.of("--range", "198.18.10.100-198.18.10.150"));
        server = Processes.start(300, new ProcessBuilder(cmd).redirectError(tmp.resolve("server.log").toFile()));
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = server.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) serverOut.add(line);
            } catch (IOException e) {
                // process ended
            }
        });
        awaitServer(l -> l.startsWith("READY") || l.startsWith("FAILED"));
    }

    private void awaitServer(Predicate<String> line) throws Exception {
        // the server JVM opens its database and migrates it before READY: on a loaded 2-CPU machine that is
        // seconds, 20 s was not much above it; the other lines come sooner, and a line that never comes still fails
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (serverOut.stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server never printed the line; output: " + serverOut + "\nlog:\n"
                        + Files.readString(tmp.resolve("server.log")));
            }
            Thread.sleep(20);
        }
    }

    /** One exchange; unchecked so it can run in a CompletableFuture. */
    private List<String> probe(String ns, String step) {
        try {
            return probeSteps(ns, step).getFirst();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@link DhcpProbe} in the namespace; one list of output lines per step. */
    private List<List<String>> probeSteps(String ns, String... steps) throws Exception {
        // only our classes and the JDK: starts fast
        String cp = Path.of(DhcpProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + ":"
                + Path.of(DhcpPacket.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, javaBin(), "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", cp, DhcpProbe.class.getName()));
        cmd.addAll(List.of(steps));
        List<List<String>> out = new ArrayList<>();
        for (String line : run(cmd, 60)) {
            if (line.startsWith("STEP ")) out.add(new ArrayList<>());
            else if (!out.isEmpty()) out.getLast().add(line);
            else throw new AssertionError("probe said before its first step: " + line);
        }
        assertEquals(steps.length, out.size(), "probe output: " + out);
        return out;
    }

    private static String only(List<String> lines, String prefix) {
        List<String> hits = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, hits.size(), "expected one line starting " + prefix + " in " + lines);
        return hits.getFirst();
    }

    private static int lengthOf(String replyLine) {
        return Integer.parseInt(replyLine.replaceAll(".* length=(\\d+).*", "$1"));
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> run(List<String> cmd, int timeoutSeconds) throws Exception {
        Processes.Combined r = Processes.runCombined(timeoutSeconds, cmd);
        if (r.exit() == -1) throw new AssertionError(r.output());
        return r.output().lines().toList();
    }

    static void sh(String command) throws Exception {
        Processes.check(30, "sh", "-c", command);
    }
}
