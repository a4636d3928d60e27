package org.netroot.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.AsNobody;
import org.netroot.server.testing.Processes;

class PrivilegeCheckTest {
    @TempDir Path tmp;

    @Test
    void namesEveryPortBelowTheUnprivilegedStartAndHowToFixIt() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("67/udp (DHCP)", 67);
        ports.put("69/udp (TFTP)", 69);
        ports.put("8080/tcp (HTTP)", 8080);
        Optional<String> p = PrivilegeCheck.problem(ports, false, 1024);
        assertTrue(p.orElseThrow().startsWith("ports 67/udp (DHCP), 69/udp (TFTP) need privileges"), p.get());
        assertTrue(p.get().contains("setcap cap_net_bind_service"), p.get());
        assertEquals(Optional.empty(), PrivilegeCheck.problem(ports, true, 1024));
        assertEquals(Optional.empty(), PrivilegeCheck.problem(ports, false, 0), "ip_unprivileged_port_start=0");
    }

    /** The real thing: `netroot serve` started as user nobody, as root drops to it with setpriv. */
    @Test
    void serveAsAnOrdinaryUserSaysWhichPortsNeedPrivileges() throws Exception {
        assumeTrue(AsNobody.possible(), "needs root and setpriv (Debian package util-linux) to run as user nobody");
        var r = Processes.run(60, AsNobody.command(tmp, "org.netroot.server.cli.NetrootCli", "serve",
                "--data", tmp.resolve("data").toString(), "--http-port", "80", "--tftp-port", "69",
                "--iscsi-port", "3260"));
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.stderr().contains("ports 69/udp (TFTP), 80/tcp (HTTP) need privileges"), r.all());
        assertTrue(r.stderr().contains("sudo setcap cap_net_bind_service"), r.all());
    }
}
