package org.netroot.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A command line that runs one of our main classes as user nobody (util-linux setpriv, capabilities
 * dropped), to show what an ordinary user sees. nobody cannot read root's ~/.m2 or a 0700 temp
 * folder, so the test classpath is copied into a world-readable folder first.
 */
public final class AsNobody {
    private AsNobody() {
    }

    public static boolean possible() {
        return Processes.isRoot() && Processes.has("setpriv");
    }

    /** @param workDir a fresh folder this copies the classpath into (made world-readable, with its parents) */
    public static List<String> command(Path workDir, String mainClass, String... args) throws IOException {
        Path cp = Files.createDirectories(workDir.resolve("nobody-classpath"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) continue;
            Path target = cp.resolve("e" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
            copy(source, target);
            entries.add(target.toString());
        }
        try (Stream<Path> all = Files.walk(workDir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-r--r--"));
            }
        }
        for (Path p = workDir.getParent(); p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            if (p.startsWith(System.getProperty("java.io.tmpdir")) && !p.toString().equals(System.getProperty("java.io.tmpdir"))) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x")); // JUnit's @TempDir is 0700
            }
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(":", entries), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
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
