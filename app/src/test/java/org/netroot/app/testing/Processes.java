package org.netroot.app.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The app tests' one way to run programs (ip, dnsmasq): the parts of server-core's testing.Processes
 * they need. Every way in takes a time limit; a process that outlives it is killed with its children.
 */
public final class Processes {
    private Processes() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** True when {@code tool} is an executable on PATH (or in /usr/sbin, /sbin). */
    public static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    public static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("proc", ".out");
        Path err = Files.createTempFile("proc", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                destroyTree(p);
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs a command that must succeed; a failure fails the test with its output. */
    public static String check(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Result r = run(timeoutSeconds, command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + r.exitCode() + "): " + r.stdout() + r.stderr());
        }
        return r.stdout();
    }

    /** Starts a process beside the test; a watchdog kills it with its children after {@code limitSeconds}. */
    public static Process start(long limitSeconds, ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        List<String> command = List.copyOf(builder.command());
        Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                    System.err.println("timed out after " + limitSeconds + " s: " + String.join(" ", command));
                    destroyTree(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return p;
    }

    /** SIGTERM to {@code p} and its children, SIGKILL after {@code graceSeconds}. */
    public static void stop(Process p, long graceSeconds) throws InterruptedException {
        if (p == null) return;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) destroyTree(p);
    }

    public static void destroyTree(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
