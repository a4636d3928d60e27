package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.AsNobody;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.VethNetwork;

/** A user without the privilege for port 68 is told so, with the fix, instead of a bare EACCES. */
class UnprivilegedProbeTest {
    @TempDir
    Path tmp;

    @Test
    void theProbeSaysWhichPrivilegeIsMissingAndHowToGrantIt() throws Exception {
        assumeTrue(AsNobody.possible(), "needs root and setpriv (util-linux) to run the probe as nobody");
        String first;
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))) {
            first = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        assumeTrue(Integer.parseInt(first) > 68, "ip_unprivileged_port_start=" + first + ": port 68 needs no privilege here");
        try (VethNetwork net = VethNetwork.create("nb", tmp)) {
            var r = Processes.run(60, AsNobody.command(tmp.resolve("nobody"), ProbeAsNobody.class.getName(),
                    net.hostInterface()));
            String line = r.stdout().lines().filter(l -> l.startsWith("PROBLEM") || l.startsWith("PROBED")).findFirst()
                    .orElse(r.stdout() + r.stderr());
            assertTrue(line.startsWith("PROBLEM not allowed to "), line);
            assertTrue(line.contains("run as root or as the netroot system service") && line.contains("setcap"), line);
        }
    }
}
