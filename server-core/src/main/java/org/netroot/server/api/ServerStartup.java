package org.netroot.server.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A server that is starting says so in {@code <data>/server.starting} (its pid and the start time of
 * its process) from before it opens the database until its control API is published in
 * {@code control.json}. A command that finds a live marker waits for the server instead of opening the
 * database itself: H2 lets one process open it, and a command that took it first would stop the
 * server from starting. A marker left by a process that died, or whose pid now belongs to another
 * process, is ignored.
 */
public final class ServerStartup {
    public static final String FILE_NAME = "server.starting";
    private static final Duration POLL = Duration.ofMillis(100);

    private ServerStartup() {
    }

    /** The marker of this process; {@link #close()} removes it (once the control API answers, or on failure). */
    public static final class Announcement implements AutoCloseable {
        private final Path file;

        private Announcement(Path file) {
            this.file = file;
        }

        @Override
        public void close() {
            // remove only our own marker: never one a later server wrote
            if (startingPid(file.getParent()).orElse(-1L) != ProcessHandle.current().pid()) return;
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a marker of a dead process is ignored by every reader
            }
        }
    }

    /**
     * Writes this process's marker into the existing folder {@code dataDir} (readable by its user only).
     * Fails when another live server is starting for the same folder.
     */
    public static Announcement announce(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        ProcessHandle me = ProcessHandle.current();
        String text = "pid=" + me.pid() + "\nprocessStart=" + me.info().startInstant().map(Instant::toString).orElse("")
                + "\nannounced=" + Instant.now() + "\n";
        Path tmp = dataDir.resolve(FILE_NAME + "." + me.pid());
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    Files.createLink(file, tmp); // atomic and exclusive: readers never see half a marker
                    return new Announcement(file);
                } catch (FileAlreadyExistsException e) {
                    Optional<Long> other = startingPid(dataDir);
                    if (other.isPresent()) {
                        throw new IllegalStateException("a Netroot server (pid " + other.get() + ") is starting for "
                                + dataDir + ": one server per data folder; use it (`netroot status`) or stop it first");
                    }
                    Files.deleteIfExists(file); // stale: its process is gone
                }
            }
            throw new IllegalStateException("another Netroot server keeps announcing itself in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // only a leftover of ours
            }
        }
    }

    /** The pid of the live server that is starting for {@code dataDir}, if one is. */
    public static Optional<Long> startingPid(Path dataDir) {
        String text;
        try {
            text = Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // unreadable: not ours to wait for
        }
        long pid = -1;
        Instant processStart = null;
        for (String line : text.split("\n")) {
            try {
                if (line.startsWith("pid=")) pid = Long.parseLong(line.substring(4).trim());
                if (line.startsWith("processStart=") && line.length() > 13) processStart = Instant.parse(line.substring(13).trim());
            } catch (RuntimeException ignored) {
                // not a marker we wrote: ignored
            }
        }
        if (pid <= 0) return Optional.empty();
        return isSameLiveProcess(pid, processStart) ? Optional.of(pid) : Optional.empty();
    }

    /** True when the process {@code pid} runs and is the one that started at {@code processStart} (not a reused pid). */
    public static boolean isSameLiveProcess(long pid, Instant processStart) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) return false;
        if (processStart == null) return true;
        return p.get().info().startInstant()
                .map(s -> Duration.between(s, processStart).abs().compareTo(Duration.ofSeconds(1)) <= 0).orElse(true);
    }

    /** {@link #awaitStartingServer(Path, Duration, Consumer)} without progress lines. */
    public static boolean awaitStartingServer(Path dataDir, Duration max) {
        return awaitStartingServer(dataDir, max, line -> { });
    }

    /**
     * When a server is starting for {@code dataDir}, waits until its control API answers: true then.
     * False at once when none is starting, and false when the starting server gave up (its marker went
     * away and nothing answers): the data folder is free then. A server still starting after {@code max}
     * is an {@link IllegalStateException}: the caller must not open the database under it.
     *
     * @param progress gets one line when there is something to wait for
     */
    public static boolean awaitStartingServer(Path dataDir, Duration max, Consumer<String> progress) {
        Optional<Long> pid = startingPid(dataDir);
        if (pid.isEmpty()) return false;
        progress.accept("waiting for the Netroot server that is starting (pid " + pid.get() + ")...");
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (answers(dataDir)) return true;
            Optional<Long> still = startingPid(dataDir);
            if (still.isEmpty()) return answers(dataDir);
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the Netroot server (pid " + still.get() + ") for " + dataDir
                        + " is still starting after " + max.toSeconds() + " s: try again in a moment (`netroot status`)");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Netroot server to start", e);
            }
        }
    }

    private static boolean answers(Path dataDir) {
        if (ControlEndpoint.read(dataDir).isEmpty()) return false;
        Optional<RemoteControl> r = RemoteControl.connect(dataDir);
        r.ifPresent(RemoteControl::close);
        return r.isPresent();
    }
}
