package org.netroot.server.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.netroot.server.testing.Processes;

/**
 * A private Ethernet segment for one test: a network namespace with bridge {@code br0}
 * ({@code 198.18.N.1/24}, N unique per network in this JVM), tap devices for QEMU clients, optionally a
 * second bridge (a foreign network) and a "home router" namespace running dnsmasq with addresses only.
 * Nothing leaves the namespaces. {@link #close()} removes everything, and a JVM shutdown hook does it too
 * when a test run is killed.
 */
final class LabNetwork implements AutoCloseable {
    private static final AtomicInteger NEXT_SUBNET = new AtomicInteger(10);

    private final String name;
    private final int subnet;
    private final Path workDir;
    private final List<String> namespaces = new ArrayList<>();
    private final Thread cleanupHook;
    private int taps;
    private HomeRouter router;
    private boolean closed;

    private LabNetwork(String name, int subnet, Path workDir) {
        this.name = name;
        this.subnet = subnet;
        this.workDir = workDir;
        this.cleanupHook = new Thread(this::removeNamespaces, "lab-network-cleanup-" + name);
    }

    /** Creates namespace {@code nr-LABEL-PID-N} with br0; {@code label} is a short test name. */
    static LabNetwork create(String label, Path workDir) throws IOException, InterruptedException {
        int n = NEXT_SUBNET.getAndIncrement();
        String name = "nr-" + label + "-" + ProcessHandle.current().pid() + "-" + n;
        LabNetwork net = new LabNetwork(name, n, workDir);
        Runtime.getRuntime().addShutdownHook(net.cleanupHook);
        try {
            net.sh("ip", "netns", "add", name);
            net.namespaces.add(name);
            net.ns("ip", "link", "set", "lo", "up");
            net.addBridge("br0", net.serverAddress() + "/24");
        } catch (IOException | InterruptedException | RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    String namespace() {
        return name;
    }

    Path workDir() {
        return workDir;
    }

    /** 198.18.N.1: the server's address on br0. */
    String serverAddress() {
        return address(1);
    }

    /** 198.18.N.host on br0's subnet. */
    String address(int host) {
        return "198.18." + subnet + "." + host;
    }

    /** The DHCP range the server (full mode) or the router (proxy mode) hands out: .100 to .199. */
    String rangeStart() {
        return address(100);
    }

    String rangeEnd() {
        return address(199);
    }

    /** A new tap device on {@code bridge} for one QEMU client. */
    synchronized String addTap(String bridge) throws IOException, InterruptedException {
        String tap = "tap" + taps++;
        ns("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        ns("ip", "link", "set", tap, "master", bridge);
        ns("ip", "link", "set", tap, "up");
        return tap;
    }

    /** A second bridge {@code br1} (198.19.N.1/24): a network the server was not told to serve. */
    String addForeignBridge() throws IOException, InterruptedException {
        addBridge("br1", "198.19." + subnet + ".1/24");
        return "br1";
    }

    /** Packets the bridge received from its ports: shows that a client on it did send (its DHCP discovers). */
    long receivedPackets(String bridge) throws IOException, InterruptedException {
        return Long.parseLong(ns("cat", "/sys/class/net/" + bridge + "/statistics/rx_packets").stdout().trim());
    }

    /**
     * A home router beside the server: its own namespace joined to br0 by a veth pair, address .2, running
     * dnsmasq with a range and no boot options (addresses only). Its lease file proves where a client's
     * address came from.
     */
    synchronized HomeRouter startHomeRouter() throws IOException, InterruptedException {
        if (router != null) return router;
        String rns = name + "-r";
        sh("ip", "netns", "add", rns);
        namespaces.add(rns);
        sh("ip", "-n", rns, "link", "set", "lo", "up");
        ns("ip", "link", "add", "vr0", "type", "veth", "peer", "name", "eth0", "netns", rns);
        ns("ip", "link", "set", "vr0", "master", "br0");
        ns("ip", "link", "set", "vr0", "up");
        sh("ip", "-n", rns, "addr", "add", address(2) + "/24", "dev", "eth0");
        sh("ip", "-n", rns, "link", "set", "eth0", "up");
        Path leases = workDir.resolve("router.leases");
        Path log = workDir.resolve("router-dnsmasq.log");
        Files.deleteIfExists(leases);
        Process p = Processes.start(1800, new ProcessBuilder("ip", "netns", "exec", rns, "dnsmasq", "--no-daemon", "--port=0",
                "--conf-file=/dev/null", "--interface=eth0", "--bind-interfaces", "--log-dhcp", "--pid-file=",
                "--dhcp-range=" + rangeStart() + "," + rangeEnd() + ",12h", "--dhcp-leasefile=" + leases)
                .redirectErrorStream(true).redirectOutput(log.toFile()));
        router = new HomeRouter(p, leases, log, address(2));
        return router;
    }

    /**
     * A machine of its own on br0: namespace {@code NAME-hHOST} joined to br0 by a veth pair, address
     * {@link #address}({@code host})/24 on its end. Returns the namespace, for {@code ip netns exec}.
     */
    synchronized String addHost(int host) throws IOException, InterruptedException {
        String hns = name + "-h" + host;
        sh("ip", "netns", "add", hns);
        namespaces.add(hns);
        sh("ip", "-n", hns, "link", "set", "lo", "up");
        String port = "vh" + host;
        ns("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", hns);
        ns("ip", "link", "set", port, "master", "br0");
        ns("ip", "link", "set", port, "up");
        sh("ip", "-n", hns, "addr", "add", address(host) + "/24", "dev", "eth0");
        sh("ip", "-n", hns, "link", "set", "eth0", "up");
        return hns;
    }

    /** Runs {@code command} inside the namespace and fails with its output if it fails. */
    Processes.Result ns(String... command) throws IOException, InterruptedException {
        return sh(inNamespace(List.of(command)).toArray(String[]::new));
    }

    /** {@code ip netns exec NS command...}: for processes the harness starts itself. */
    List<String> inNamespace(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    private void addBridge(String bridge, String cidr) throws IOException, InterruptedException {
        ns("ip", "link", "add", bridge, "type", "bridge");
        ns("ip", "addr", "add", cidr, "dev", bridge);
        ns("ip", "link", "set", bridge, "up");
    }

    private static Processes.Result sh(String... command) throws IOException, InterruptedException {
        Processes.Result r = Processes.run(30, command);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.all());
        }
        return r;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        removeNamespaces();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing more to do
        }
    }

    /** Stops the router, kills what still runs in our namespaces (processes this test started), removes them. */
    private void removeNamespaces() {
        if (router != null) router.stop();
        for (String ns : namespaces.reversed()) {
            try {
                Processes.Result pids = Processes.run(10, "ip", "netns", "pids", ns);
                for (String pid : pids.stdout().split("\\s+")) {
                    if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
                Processes.run(10, "ip", "netns", "del", ns);
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("lab: could not remove namespace " + ns + ": " + e);
            }
        }
    }

    /** dnsmasq in the router namespace, handing out addresses only. */
    record HomeRouter(Process process, Path leaseFile, Path log, String address) {
        /** The lease file's lines (expiry mac ip hostname client-id), empty before the first lease. */
        List<String> leases() throws IOException {
            return Files.exists(leaseFile) ? Files.readAllLines(leaseFile, StandardCharsets.UTF_8) : List.of();
        }

        String logText() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        void stop() {
            try {
                Processes.stop(process, 5);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
