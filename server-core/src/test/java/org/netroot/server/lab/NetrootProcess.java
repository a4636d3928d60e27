package org.netroot.server.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.Lease;
import org.netroot.server.store.BootEventRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.testing.Processes;

/**
 * The {@code netroot} command line run the way a user runs it, as its own JVM inside the test's
 * namespace: setup commands before {@code serve} (they open the database directly), {@code serve} in
 * the foreground until "Netroot ready", SIGTERM to stop, then export and the stored events.
 */
final class NetrootProcess implements AutoCloseable {
    private static final String MAIN = "org.netroot.server.cli.NetrootCli";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final LabNetwork net;
    private final Path dataDir;
    private final Path log;
    private Process server;
    private int serveCount;

    NetrootProcess(LabNetwork net) throws IOException {
        this.net = net;
        this.dataDir = Files.createDirectories(net.workDir().resolve("netroot-data"));
        this.log = net.workDir().resolve("netroot-serve.log");
    }

    Path dataDir() {
        return dataDir;
    }

    /** The serving process's pid ({@code ip netns exec} execs java in its place). */
    long pid() {
        if (server == null || !server.isAlive()) throw new IllegalStateException("not serving");
        return server.pid();
    }

    /** {@code netroot ARGS... --data DIR}; fails with the output unless it exits 0. */
    String cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = java();
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data", dataDir.toString()));
        Processes.Result r = Processes.run(120, net.inNamespace(cmd));
        if (r.exitCode() != 0) {
            throw new AssertionError("netroot " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.all());
        }
        return r.stdout();
    }

    /** {@code netroot volume create NAME --from IMAGE} (a copy: the shared disk image is never written). */
    void createVolume(String name, Path image) throws IOException, InterruptedException {
        cli("volume", "create", name, "--from", image.toString());
    }

    void addClient(String name, String mac, String volume) throws IOException, InterruptedException {
        cli("client", "add", name, "--mac", mac, "--volume", volume);
    }

    /** Full mode: Netroot hands out addresses from the network's .100-.199 range on br0. */
    void serveFull() throws IOException, InterruptedException {
        serve(List.of("--interface", "br0", "--dhcp", "full", "--range", net.rangeStart() + "-" + net.rangeEnd()));
    }

    /** Proxy mode: beside the network's home router, boot information only. */
    void serveProxy() throws IOException, InterruptedException {
        serve(List.of("--interface", "br0", "--dhcp", "proxy"));
    }

    /** {@code netroot serve --data DIR --ipxe-dir /usr/lib/ipxe OPTIONS}, returning once it printed "Netroot ready". */
    void serve(List<String> options) throws IOException, InterruptedException {
        if (server != null && server.isAlive()) throw new IllegalStateException("already serving");
        List<String> cmd = java();
        cmd.addAll(List.of("serve", "--data", dataDir.toString(), "--ipxe-dir", LabPrerequisites.IPXE_DIR.toString()));
        cmd.addAll(options);
        String shown = String.join(" ", cmd).replace(System.getProperty("java.class.path"), "<test classpath>");
        Files.writeString(log, "=== serve #" + ++serveCount + " in " + net.namespace() + ": " + shown + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        // the watchdog outlasts any lab class (a few minutes); the class stops the server long before
        server = Processes.start(1800, new ProcessBuilder(net.inNamespace(cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!lastServeLog().contains("Netroot ready")) {
            if (!server.isAlive()) {
                throw new AssertionError("netroot serve exited " + server.exitValue() + " before it was ready:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("netroot serve not ready after " + READY_TIMEOUT.toSeconds() + " s:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, as systemd or Ctrl-C would stop it; the server stores queued events on the way out. */
    int stop() throws InterruptedException {
        if (server == null) return 0;
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            Processes.destroyTree(server);
            throw new AssertionError("netroot serve ignored SIGTERM for 30 s:\n" + log());
        }
        return server.exitValue();
    }

    /** {@code netroot volume export NAME FILE}: the volume's data as the clients left it. */
    Path exportVolume(String name, Path file) throws IOException, InterruptedException {
        cli("volume", "export", name, file.toString());
        return file;
    }

    /** The stored boot events, oldest first, read from the database directly: only once the server stopped. */
    List<BootEvent> storedEvents() {
        requireStopped();
        try (Database db = Database.open(dataDir)) {
            return new BootEventRepository(db).after(0, 100_000);
        }
    }

    List<Lease> storedLeases() {
        requireStopped();
        try (Database db = Database.open(dataDir)) {
            return new LeaseRepository(db).list();
        }
    }

    /** Everything every {@code serve} of this data directory printed. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "(no server log)";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private String lastServeLog() {
        String all = log();
        int i = all.lastIndexOf("=== serve #");
        return i < 0 ? all : all.substring(i);
    }

    private void requireStopped() {
        if (server != null && server.isAlive()) throw new IllegalStateException("stop the server before opening its database");
    }

    private static List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MAIN));
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null && server.isAlive()) {
            Processes.stop(server, 15);
        }
    }
}
