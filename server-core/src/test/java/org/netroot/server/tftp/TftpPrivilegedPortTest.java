package org.netroot.server.tftp;

import org.netroot.server.testing.Processes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        assertTrue(message.contains("port 69"), message);
        assertTrue(message.contains("CAP_NET_BIND_SERVICE") && message.contains("--tftp-port"), message);
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
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is needed to drop root");
        // nobody cannot read root's ~/.m2: copy our classes and slf4j to a world-readable folder
        List<String> classpath = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            boolean ours = Files.isDirectory(source);
            String jar = source.getFileName().toString();
            boolean slf4j = jar.startsWith("slf4j-api") || jar.startsWith("netty-");
            if (!ours && !slf4j) continue;
            Path target = dir.resolve("cp" + n++ + (ours ? "" : ".jar"));
            copy(source, target);
            classpath.add(target.toString());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                java, "-cp", String.join(":", classpath), UnprivilegedStart.class.getName())
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.lines().filter(l -> l.startsWith("FAILED") || l.startsWith("STARTED")).findFirst().orElse(out);
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
