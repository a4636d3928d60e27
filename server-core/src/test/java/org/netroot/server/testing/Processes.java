package org.netroot.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs real peer programs (curl, atftp, iscsi-*, QEMU, the server in a namespace) from tests. Every
 * way in takes a time limit: a tool that hangs is killed with its children and the test says which
 * command it was, instead of the build hanging until CI gives up. Tests start processes only through
 * this class ({@code ProcessLimitsTest} holds that).
 */
public final class Processes {
    private Processes() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    /** True when {@code tool} is an executable on PATH (or an absolute path). */
    public static boolean has(String tool) {
        if (tool.startsWith("/")) return Files.isExecutable(Path.of(tool));
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Exit code and stdout+stderr interleaved as the tool wrote them; exit -1 when it ran out of time. */
    public record Combined(int exit, String output) {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(timeoutSeconds, List.of(command));
    }

    /** Runs {@code command} to its end; running out of time fails the test with the command and its stderr. */
    public static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("proc", ".out");
        Path err = Files.createTempFile("proc", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                destroyTree(p);
                throw new AssertionError(outOfTime(timeoutSeconds, command) + "\n" + Files.readString(err, StandardCharsets.ISO_8859_1));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs a command that must succeed (setup such as {@code ip netns add}); a failure or timeout fails the test. */
    public static String check(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Combined r = runCombined(timeoutSeconds, command);
        if (r.exit() == -1) throw new AssertionError(r.output());
        if (r.exit() != 0) throw new AssertionError(String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.output());
        return r.output();
    }

    /**
     * Runs {@code command} with stderr merged into stdout. Unlike {@link #run}, a timeout is not an error:
     * it returns exit -1 and what was written so far (a QEMU client that never ends its boot is an answer).
     */
    public static Combined runCombined(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return runCombined(timeoutSeconds, List.of(command));
    }

    public static Combined runCombined(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            destroyTree(p);
            reader.join(5000);
            return new Combined(-1, outOfTime(timeoutSeconds, command) + "\n"
                    + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        reader.join(TimeUnit.SECONDS.toMillis(10)); // a child that kept our pipe open must not hang the test
        return new Combined(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }

    /**
     * Starts a process that runs beside the test (a server, a QEMU client, dnsmasq). A watchdog kills
     * it with its children once {@code limitSeconds} have passed, and says so on stderr, so even a test
     * that waits for it without a limit ends; the test stops it earlier with {@link #stop}.
     */
    public static Process start(long limitSeconds, ProcessBuilder builder) throws IOException {
        if (limitSeconds <= 0) throw new IllegalArgumentException("a process needs a positive time limit");
        Process p = builder.start();
        List<String> command = List.copyOf(builder.command());
        Thread.ofVirtual().name("limit " + command.getFirst()).start(() -> {
            try {
                if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                    System.err.println(outOfTime(limitSeconds, command) + " (killed with its children)");
                    destroyTree(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return p;
    }

    /** Asks {@code p} and its children to end (SIGTERM), then kills what is left after {@code graceSeconds}. */
    public static void stop(Process p, long graceSeconds) throws InterruptedException {
        if (p == null) return;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) destroyTree(p);
        for (ProcessHandle c : children) {
            if (c.isAlive()) c.destroyForcibly();
        }
    }

    /**
     * Waits for a process started with {@link #start} to end; running out of time kills it with its
     * children and fails the test naming the command.
     */
    public static int waitFor(Process p, long timeoutSeconds, List<String> command) throws InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            destroyTree(p);
            throw new AssertionError(outOfTime(timeoutSeconds, command));
        }
        return p.exitValue();
    }

    /** Kills {@code p} and everything it started (a shell's children, a server's helpers). */
    public static void destroyTree(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(10, TimeUnit.SECONDS);
    }

    private static String outOfTime(long seconds, List<String> command) {
        return "timed out after " + seconds + " s: " + String.join(" ", command);
    }
}
