package org.netroot.server.tftp;

import org.netroot.server.testing.AsNobody;
import org.netroot.server.testing.Processes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port 69 without privileges must fail with a message naming the port and the fix. As root the test
 * runs the start in a child JVM as user nobody (util-linux setpriv); otherwise in this JVM.
 */
class TftpPrivilegedPortTest {
    @TempDir Path dir;

    @Test
    void bindingPort69WithoutPrivilegesNamesThePortAndTheFix() throws Exception {
        String firstUnprivileged;
        // read as a stream: Files.readString trusts the size /proc reports and returns a truncated value
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))) {
            firstUnprivileged = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        Assumptions.assumeTrue(Integer.parseInt(firstUnprivileged) > 69,
                "net.ipv4.ip_unprivileged_port_start=" + firstUnprivileged + ": port 69 needs no privileges here");
        String message = Processes.isRoot() ? startAsNobody() : startHere();
        assertTrue(message.startsWith("FAILED"), message);
        assertTrue(message.startsWith("FAILED: TFTP: port 69/udp (TFTP) needs privileges. Either run as root or as the"
                + " netroot system service"), message);
        assertTrue(message.contains("`sudo setcap cap_net_bind_service") && message.contains("--tftp-port"), message);
    }

    private static String startHere() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            UnprivilegedStart.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private String startAsNobody() throws Exception {
        Assumptions.assumeTrue(AsNobody.possible(), "setpriv (util-linux) is needed to drop root");
        var r = Processes.run(60, AsNobody.command(dir, UnprivilegedStart.class.getName()));
        String out = r.all();
        return out.lines().filter(l -> l.startsWith("FAILED") || l.startsWith("STARTED")).findFirst().orElse(out);
    }
}
