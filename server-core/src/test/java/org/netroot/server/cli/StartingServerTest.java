package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ServerStartup;
import org.netroot.server.testing.Processes;

/**
 * {@code netroot serve} and other commands as separate processes on one data folder, the way a user
 * runs them from two terminals: H2 lets one process open the database, and a command must never be
 * the reason a starting server dies. Loopback only, DHCP off, every port picked by the OS.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StartingServerTest {
    private static final long READY_SECONDS = 90;

    @TempDir Path tmp;
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) Processes.stop(p, 15);
    }

    @Test
    void statusRunRepeatedlyWhileServeStartsNeverBreaksItAndSeesTheServer() throws Exception {
        Path data = tmp.resolve("data");
        assertEquals(0, cli(data, "volume", "create", "v1", "--size", "1M").exitCode());
        List<Processes.Result> results = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean ready = new AtomicBoolean();
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            loops.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    // until the server is up, then once more each
                    for (int n = 0; n < 30; n++) {
                        boolean last = ready.get();
                        results.add(cli(data, "status"));
                        if (last) break;
                    }
                } catch (Exception e) {
                    results.add(new Processes.Result(-99, "", e.toString()));
                }
            }));
        }
        Thread.sleep(300); // the first status JVMs are starting too
        Path log = tmp.resolve("serve.log");
        Process serve = serve(data, log);
        awaitReady(serve, log);
        ready.set(true);
        for (Thread t : loops) t.join(TimeUnit.SECONDS.toMillis(120));

        assertTrue(serve.isAlive(), "serve died:\n" + read(log));
        assertTrue(results.size() >= 4, results.toString());
        for (Processes.Result r : results) {
            // 0: the server answered; 3: it had not started yet (the command had the database to itself)
            assertTrue(r.exitCode() == 0 || r.exitCode() == 3, "status exited " + r.exitCode() + ":\n" + r.all());
        }
        Processes.Result after = cli(data, "status");
        assertEquals(0, after.exitCode(), after.all());
        assertTrue(after.stdout().contains("iSCSI  running"), after.stdout());
        assertTrue(cli(data, "volume", "list").stdout().contains("v1"), "commands use the running server");

        Path second = tmp.resolve("serve2.log");
        Process again = serve(data, second);
        assertTrue(again.waitFor(60, TimeUnit.SECONDS), "a second serve must give up: " + read(second));
        assertEquals(1, again.exitValue());
        assertTrue(read(second).contains("a Netroot server (pid " + serve.pid() + ") already runs for"), read(second));
        assertTrue(serve.isAlive(), "the second serve must leave the first alone:\n" + read(log));
        assertEquals(0, cli(data, "status").exitCode(), "control.json must still point at the first server");
    }

    @Test
    void aCommandThatKeepsTheDatabaseOpenYieldsToAStartingServer() throws Exception {
        // before: serve waited Database.LOCK_WAIT for the command, then gave up ("still has the database open")
        Path data = tmp.resolve("data");
        Process holder = holdDatabase(data, 120);
        Path log = tmp.resolve("serve.log");
        Process serve = serve(data, log);
        awaitReady(serve, log);
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the command lets go once the server announces itself");
        assertEquals(3, holder.exitValue());
        String said = read(tmp.resolve("holder.log"));
        assertTrue(said.contains("STOPPED: a Netroot server started for " + data
                + ": run the command again (it now goes to the server)"), said);
        assertEquals(0, cli(data, "status").exitCode(), read(log));
        assertFalse(Files.exists(data.resolve(ServerStartup.FILE_NAME)), "the marker goes once the control API answers");
    }

    @Test
    void aCommandWaitsForAStoppingServerInsteadOfBeingToldToUseIt() throws Exception {
        // before: with control.json gone but the database still open, the command failed at once
        // ("a Netroot server ... already runs ...: use it") though nothing could be used
        Path data = tmp.resolve("data");
        Process stopping = holdDatabase(data, 3, "server");
        Processes.Result r = cli(data, "volume", "list");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(stopping.waitFor(30, TimeUnit.SECONDS));
    }

    private Process holdDatabase(Path data, int seconds, String... role) throws IOException, InterruptedException {
        Path out = tmp.resolve("holder.log");
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                HoldDatabase.class.getName(), data.toString(), Integer.toString(seconds)));
        cmd.addAll(List.of(role));
        Process p = start(cmd, out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!read(out).contains("OPEN")) {
            if (!p.isAlive() || System.nanoTime() > deadline) fail("the holder did not open the database:\n" + read(out));
            Thread.sleep(50);
        }
        return p;
    }

    private Process serve(Path data, Path log) throws IOException {
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        return start(List.of(java(), "-cp", System.getProperty("java.class.path"), NetrootCli.class.getName(), "serve",
                "--data", data.toString(), "--dhcp", "off", "--tftp-port", "0", "--http-port", "0", "--iscsi-port", "0",
                "--nbd-port", "0", "--control-port", "0", "--ipxe-dir", ipxe.toString()), log);
    }

    /** Each process lives at most as long as the class's @Timeout: its watchdog kills it after that. */
    private Process start(List<String> cmd, Path log) throws IOException {
        Process p = Processes.start(180, new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()));
        started.add(p);
        return p;
    }

    private static void awaitReady(Process serve, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (!read(log).contains("Netroot ready")) {
            if (!serve.isAlive()) fail("serve exited " + serve.exitValue() + " before it was ready:\n" + read(log));
            if (System.nanoTime() > deadline) fail("serve not ready after " + READY_SECONDS + " s:\n" + read(log));
            Thread.sleep(100);
        }
    }

    private static Processes.Result cli(Path data, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                NetrootCli.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data", data.toString()));
        return Processes.run(90, cmd);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
