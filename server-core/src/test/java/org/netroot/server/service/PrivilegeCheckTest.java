package org.netroot.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        assumeTrue(Processes.isRoot(), "needs root to start a process as user nobody");
        assumeTrue(Processes.has("setpriv"), "setpriv (Debian package util-linux) is needed to drop root");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", java, "-cp", readableClasspath(), "org.netroot.server.cli.NetrootCli", "serve",
                "--data", tmp.resolve("data").toString(), "--http-port", "80", "--tftp-port", "69",
                "--iscsi-port", "3260"));
        var r = Processes.run(60, cmd);
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.stderr().contains("ports 69/udp (TFTP), 80/tcp (HTTP) need privileges"), r.all());
        assertTrue(r.stderr().contains("sudo setcap cap_net_bind_service"), r.all());
    }

    /** The test classpath may live under /root (0700): copy it where nobody can read it. */
    private String readableClasspath() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path src = Path.of(entry);
            if (!Files.exists(src)) continue;
            Path dst = dir.resolve("e" + n++ + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) walk::iterator) {
                        Path t = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f)) Files.createDirectories(t);
                        else Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        try (var walk = Files.walk(tmp)) {
            walk.forEach(f -> f.toFile().setReadable(true, false));
        }
        try (var walk = Files.walk(tmp)) {
            walk.filter(Files::isDirectory).forEach(f -> f.toFile().setExecutable(true, false));
        }
        return String.join(":", entries);
    }
}
