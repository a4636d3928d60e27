package org.netroot.server.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.testing.Processes;

/**
 * Issue 13's room full of PCs: 150 initiators, each a machine of its own (a network namespace on the
 * server's bridge, its own address), each logged in to its own client's target and reading with
 * libiscsi's iscsi-perf at the same time. All of them are connected at once, every one finishes its
 * run without an error, and the server's peak resident memory stays under 1 GB.
 */
@Tag("lab")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ManyInitiatorsLabTest {
    /** at most 200: their addresses are .10 to .209 of one /24 */
    static final int INITIATORS = Math.min(Integer.getInteger("lab.initiators", 150), 200);
    static final int READ_SECONDS = 30;
    static final long MAX_RSS_BYTES = 1L << 30;

    @Test
    void oneHundredFiftyInitiatorsReadAtOnce() throws Exception {
        LabPrerequisites.assumeBootLab();
        org.junit.jupiter.api.Assumptions.assumeTrue(Processes.has("iscsi-perf"), "iscsi-perf missing: apt-get install libiscsi-bin");
        Path work = Files.createDirectories(Path.of("target", "lab-runs").toAbsolutePath().resolve("many-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"))));
        try (LabNetwork net = LabNetwork.create("many", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            try (NetrootControl offline = Netroot.offline(netroot.dataDir())) { // 150 CLI runs would take minutes
                for (int i = 0; i < INITIATORS; i++) {
                    offline.createVolume("disk-" + i, 16L << 20, "raw");
                    offline.addClient(Client.sanboot("pc-" + i, String.format("52:54:00:4d:%02x:%02x", i >> 8, i & 0xff), "disk-" + i));
                }
            }
            netroot.serve(List.of("--dhcp", "off"));
            List<String> hosts = new ArrayList<>();
            for (int i = 0; i < INITIATORS; i++) hosts.add(net.addHost(10 + i));

            List<Process> readers = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            try {
                for (int i = 0; i < INITIATORS; i++) {
                    Path out = work.resolve("iscsi-perf-" + i + ".log");
                    outputs.add(out);
                    String url = "iscsi://" + net.serverAddress() + "/" + Client.IQN_PREFIX + ":pc-" + i + "/0";
                    // -t ends iscsi-perf only if its once-a-second check lands on the last second; on a busy
                    // machine it can skip that one and read on for ever: SIGINT then ends it, as it ends a run by hand
                    readers.add(Processes.start(READ_SECONDS + 300, new ProcessBuilder("ip", "netns", "exec", hosts.get(i),
                            "timeout", "-s", "INT", "-k", "30", Integer.toString(READ_SECONDS + 60),
                            "iscsi-perf", "-i", Client.IQN_PREFIX + ":initiator:pc-" + i, "-m", "4", "-t", Integer.toString(READ_SECONDS), url)
                            .redirectErrorStream(true).redirectOutput(out.toFile())));
                }
                int connected = awaitConnections(net, INITIATORS, 60);
                assertEquals(INITIATORS, connected, "every initiator is logged in at once (established iSCSI connections)");
                long rss = peakRss(netroot.pid());
                for (int i = 0; i < INITIATORS; i++) {
                    Process p = readers.get(i);
                    assertTrue(p.waitFor(READ_SECONDS + 120, TimeUnit.SECONDS), "iscsi-perf " + i + " did not finish");
                    String said = Files.readString(outputs.get(i));
                    boolean stoppedByTimeout = p.exitValue() == 124 && said.contains("finished"); // see above
                    assertTrue(p.exitValue() == 0 || stoppedByTimeout,
                            "iscsi-perf " + i + " failed (exit " + p.exitValue() + "):\n" + said + "\n--- server ---\n" + netroot.log());
                    assertTrue(said.contains("iops average"), "iscsi-perf " + i + " read nothing:\n" + said);
                }
                rss = Math.max(rss, peakRss(netroot.pid()));
                assertTrue(rss < MAX_RSS_BYTES, "server peak RSS " + (rss >> 20) + " MiB with " + INITIATORS + " initiators");
                System.out.printf("%d initiators: server peak RSS %d MiB%n", INITIATORS, rss >> 20);
            } finally {
                for (Process p : readers) p.destroyForcibly();
            }
        }
    }

    /** Established connections to port 3260 in the server's namespace, once {@code want} are there or time is up. */
    private static int awaitConnections(LabNetwork net, int want, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int n = 0;
        while (System.nanoTime() < deadline) {
            String ss = net.ns("ss", "-Htn", "state", "established", "( sport = :3260 )").stdout();
            n = (int) ss.lines().filter(l -> !l.isBlank()).count();
            if (n >= want) return n;
            Thread.sleep(500);
        }
        return n;
    }

    /** VmHWM: the most resident memory the process ever had. */
    private static long peakRss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
        throw new AssertionError("no VmHWM in /proc/" + pid + "/status");
    }
}
