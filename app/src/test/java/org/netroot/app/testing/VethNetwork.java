package org.netroot.app.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network for one test: a namespace joined to this (root) namespace by a veth pair. The root end
 * ({@link #hostInterface()}) has .1 of a /24 of 198.18.0.0/15 picked per run, the namespace end .2.
 * {@link #startDnsmasq} runs a DHCP server (addresses only) in the namespace. Names are unique per run;
 * {@link #close} removes everything, also what a failed test left. Needs root. (A copy of server-core's
 * test helper of the same name: the app's tests do not see server-core's.)
 */
public final class VethNetwork implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private final String id;
    private final String namespace;
    private final String hostEnd;
    private final String subnet;
    private final Path workDir;
    private Process dnsmasq;

    private VethNetwork(String id, String subnet, Path workDir) {
        this.id = id;
        this.namespace = id + "n";
        this.hostEnd = id + "h";
        this.subnet = subnet;
        this.workDir = workDir;
    }

    /** Creates the namespace and the pair; @param tag two letters that tell the tests apart in `ip link` */
    public static VethNetwork create(String tag, Path workDir) throws IOException, InterruptedException {
        int n = COUNT.incrementAndGet();
        long pid = ProcessHandle.current().pid();
        String id = tag + (pid % 100000) + "x" + n; // <= 13 characters: interface names hold 15
        String subnet = "198.18." + (100 + (int) ((pid * 7 + n) % 150)) + ".";
        VethNetwork net = new VethNetwork(id, subnet, workDir);
        try {
            net.setUp();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            net.close();
            throw e;
        }
        return net;
    }

    private void setUp() throws IOException, InterruptedException {
        Processes.check(10, "ip", "netns", "add", namespace);
        Processes.check(10, "ip", "-n", namespace, "link", "set", "lo", "up");
        Processes.check(10, "ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        Processes.check(10, "ip", "addr", "add", address(1) + "/24", "dev", hostEnd);
        Processes.check(10, "ip", "link", "set", hostEnd, "up");
        Processes.check(10, "ip", "-n", namespace, "addr", "add", address(2) + "/24", "dev", "eth0");
        Processes.check(10, "ip", "-n", namespace, "link", "set", "eth0", "up");
    }

    /**
     * A tap device in the namespace, bridged with the namespace's end of the pair: a QEMU PC on it
     * (started with {@link #inNamespace()}) is on the wire of {@link #hostInterface()}.
     */
    public String addTap() throws IOException, InterruptedException {
        Processes.check(10, "ip", "-n", namespace, "link", "add", "br0", "type", "bridge");
        Processes.check(10, "ip", "-n", namespace, "link", "set", "eth0", "master", "br0");
        Processes.check(10, "ip", "-n", namespace, "link", "set", "br0", "up");
        Processes.check(10, "ip", "-n", namespace, "tuntap", "add", "dev", "tap0", "mode", "tap");
        Processes.check(10, "ip", "-n", namespace, "link", "set", "tap0", "master", "br0", "up");
        return "tap0";
    }

    /** The command prefix that runs a program in the namespace. */
    public List<String> inNamespace() {
        return List.of("ip", "netns", "exec", namespace);
    }

    /** The root namespace's end of the pair: where a probe runs. */
    public String hostInterface() {
        return hostEnd;
    }

    /** 198.18.N.{@code host} of this network. */
    public String address(int host) {
        return subnet + host;
    }

    /** dnsmasq in the namespace handing out .50-.60 with router .2; returns once it serves DHCP. */
    public void startDnsmasq() throws IOException, InterruptedException {
        Path log = workDir.resolve(id + "-dnsmasq.log");
        dnsmasq = Processes.start(300, new ProcessBuilder("ip", "netns", "exec", namespace, "dnsmasq", "--no-daemon",
                "--port=0", "--conf-file=/dev/null", "--interface=eth0", "--bind-interfaces", "--log-dhcp", "--pid-file=",
                "--no-ping", "--dhcp-range=" + address(50) + "," + address(60) + ",12h",
                "--dhcp-option=3," + address(2), "--dhcp-leasefile=" + workDir.resolve(id + ".leases"))
                .redirectErrorStream(true).redirectOutput(log.toFile()));
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            if (text.contains("DHCP, IP range")) return;
            if (!dnsmasq.isAlive()) throw new AssertionError("dnsmasq ended: " + text);
            Thread.sleep(50);
        }
        throw new AssertionError("dnsmasq did not start within 10 s: " + Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws InterruptedException {
        if (dnsmasq != null) Processes.stop(dnsmasq, 5);
        try {
            Processes.run(10, "ip", "link", "del", hostEnd); // takes the namespace's end with it
            Processes.run(10, "ip", "netns", "del", namespace);
        } catch (IOException e) {
            System.err.println("could not remove test network " + id + ": " + e);
        }
    }
}
