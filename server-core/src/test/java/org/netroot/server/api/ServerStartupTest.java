package org.netroot.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/** The marker a starting server leaves in its data folder, as commands read it. */
class ServerStartupTest {
    @TempDir Path data;

    @Test
    void noMarkerMeansNothingToWaitFor() {
        List<String> said = new ArrayList<>();
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(5), said::add));
        assertEquals(List.of(), said, "no waiting line when nothing starts");
    }

    @Test
    void aMarkerOfADeadProcessIsIgnoredAndReplaced() throws Exception {
        Process gone = Processes.start(10, new ProcessBuilder("true"));
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Files.writeString(data.resolve(ServerStartup.FILE_NAME), "pid=" + gone.pid() + "\nprocessStart=\n");
        assertEquals(Optional.empty(), ServerStartup.startingPid(data));
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(5)));
        try (ServerStartup.ServerLock lock = ServerStartup.lock(data);
             ServerStartup.Announcement ignored = ServerStartup.announce(data)) {
            assertEquals(Optional.of(ProcessHandle.current().pid()), ServerStartup.startingPid(data));
        }
        assertFalse(Files.exists(data.resolve(ServerStartup.FILE_NAME)), "closing the announcement removes it");
    }

    @Test
    void aReusedPidIsNotTheServerThatWroteTheMarker() throws Exception {
        Files.writeString(data.resolve(ServerStartup.FILE_NAME),
                "pid=" + ProcessHandle.current().pid() + "\nprocessStart=2001-01-01T00:00:00Z\n");
        assertEquals(Optional.empty(), ServerStartup.startingPid(data));
    }

    @Test
    void aLiveStartingServerIsWaitedForAndNeverTakenOver() throws Exception {
        try (ServerStartup.ServerLock lock = ServerStartup.lock(data);
             ServerStartup.Announcement ignored = ServerStartup.announce(data)) {
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> ServerStartup.lock(data));
            assertTrue(second.getMessage().contains("is starting for"), second.getMessage());

            List<String> said = new ArrayList<>();
            IllegalStateException late = assertThrows(IllegalStateException.class,
                    () -> ServerStartup.awaitStartingServer(data, Duration.ofMillis(500), said::add));
            assertEquals(List.of("waiting for the Netroot server that is starting (pid " + ProcessHandle.current().pid()
                    + ")..."), said);
            assertTrue(late.getMessage().contains("is still starting after"), late.getMessage());
        }
    }

    @Test
    void aServerThatGivesUpEndsTheWaitWithNothingToAttachTo() throws Exception {
        ServerStartup.ServerLock lock = ServerStartup.lock(data);
        ServerStartup.Announcement starting = ServerStartup.announce(data);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                // the wait below ends either way
            }
            starting.close();
            lock.close();
        });
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(20)));
    }

    @Test
    void aMarkerWithoutTheServerLockIsNoServerEvenWhenItsProcessLives() throws Exception {
        // before: a live pid with an unknown start time counted as the server that wrote the marker
        Files.writeString(data.resolve(ServerStartup.FILE_NAME), "pid=" + ProcessHandle.current().pid() + "\nprocessStart=\n");
        assertEquals(Optional.empty(), ServerStartup.startingPid(data));
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(5)));
    }

    @Test
    void theLockNotTheMarkerKeepsASecondServerOut() throws Exception {
        // before: a second server deleted a marker it took for stale and went ahead
        try (ServerStartup.ServerLock first = ServerStartup.lock(data);
             ServerStartup.Announcement ignored = ServerStartup.announce(data)) {
            Files.delete(data.resolve(ServerStartup.FILE_NAME)); // as a racing server's stale-marker cleanup would
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> ServerStartup.lock(data));
            assertEquals("a Netroot server (pid " + ProcessHandle.current().pid() + ") already runs for " + data
                    + ": use it (the other commands talk to it), or stop it first", second.getMessage());
            assertThrows(IllegalStateException.class, () -> ServerStartup.announce(tmpOther()),
                    "no marker without the lock");
        }
        try (ServerStartup.ServerLock again = ServerStartup.lock(data)) {
            assertEquals(Optional.of(ProcessHandle.current().pid()), ServerStartup.serverPid(data));
        }
        assertEquals(Optional.empty(), ServerStartup.serverPid(data));
    }

    @Test
    void anotherPathToTheFolderFindsItsLockAndLeavesItHeld() throws Exception {
        // before: a symlink was another key, so lock() opened a second channel to server.lock, and closing
        // that channel (on giving up) dropped this process's OS lock: another process could then take it
        Path link = Files.createSymbolicLink(data.resolveSibling(data.getFileName() + "-link"), data);
        try (ServerStartup.ServerLock held = ServerStartup.lock(data)) {
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> ServerStartup.lock(link));
            assertTrue(second.getMessage().contains("pid " + ProcessHandle.current().pid()), second.getMessage());
            Processes.Result other = Processes.run(20, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), HoldServerLock.class.getName(), data.toString());
            assertFalse(other.stdout().contains("LOCKED"), "another process took the lock: " + other.stdout());
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void twoThreadsLockingTheSameFolderLeaveExactlyOneLockThatHolds() throws Exception {
        // before: both passed the HELD check, the loser's channel close dropped the winner's OS lock
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.CompletableFuture<ServerStartup.ServerLock>> tries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var f = new java.util.concurrent.CompletableFuture<ServerStartup.ServerLock>();
            tries.add(f);
            Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    f.complete(ServerStartup.lock(data));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        }
        start.countDown();
        List<ServerStartup.ServerLock> got = new ArrayList<>();
        for (var f : tries) {
            try {
                got.add(f.get(20, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException lost) {
                assertTrue(lost.getCause() instanceof IllegalStateException, lost.toString());
            }
        }
        assertEquals(1, got.size(), "exactly one thread holds the folder");
        try (ServerStartup.ServerLock ignored = got.get(0)) {
            Processes.Result other = Processes.run(20, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), HoldServerLock.class.getName(), data.toString());
            assertFalse(other.stdout().contains("LOCKED"), "another process took the lock: " + other.stdout());
        }
    }

    private Path tmpOther() throws java.io.IOException {
        return Files.createDirectories(data.resolve("other"));
    }

    @Test
    void aKilledServersLockIsGoneAtOnce() throws Exception {
        Process holder = Processes.start(60, new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), HoldServerLock.class.getName(), data.toString())
                .redirectErrorStream(true));
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))) {
            assertEquals("LOCKED", out.readLine());
            assertEquals(Optional.of(holder.pid()), ServerStartup.serverPid(data), "another process's lock is seen");
            assertEquals(Optional.of(holder.pid()), ServerStartup.startingPid(data));
            holder.destroyForcibly(); // kill -9: no cleanup runs, the marker stays
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(data.resolve(ServerStartup.FILE_NAME)));
        assertEquals(Optional.empty(), ServerStartup.serverPid(data), "the kernel dropped the lock");
        assertEquals(Optional.empty(), ServerStartup.startingPid(data));
        try (ServerStartup.ServerLock lock = ServerStartup.lock(data);
             ServerStartup.Announcement ignored = ServerStartup.announce(data)) {
            assertEquals(Optional.of(ProcessHandle.current().pid()), ServerStartup.startingPid(data), "the marker is replaced");
        }
    }

    @Test
    void aStoppingServerIsWaitedForUntilItLetsGo() throws Exception {
        // before: with control.json gone and no marker, a command went on at once and was told a server runs
        ServerStartup.ServerLock stopping = ServerStartup.lock(data);
        Thread.ofVirtual().start(() -> {
            try {
                // the wait below must find the lock still held to say so: 600 ms was a short head start on a loaded machine
                Thread.sleep(2000);
            } catch (InterruptedException ignored) {
                // released either way
            }
            stopping.close();
        });
        List<String> said = new ArrayList<>();
        long start = System.nanoTime();
        assertFalse(ServerStartup.awaitStartingServer(data, Duration.ofSeconds(20), said::add));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(500).toNanos(), "it waited for the server to let go");
        assertEquals(List.of("waiting for the Netroot server that is stopping (pid " + ProcessHandle.current().pid()
                + ")..."), said);
    }
}
