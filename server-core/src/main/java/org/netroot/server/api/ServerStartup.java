package org.netroot.server.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether a server has the data folder, and what it is doing. A server holds an OS lock on
 * {@code <data>/server.lock} ({@link #lock}) for as long as it runs, starting and stopping included;
 * the kernel drops it when the process ends, even on kill -9, so the lock alone decides whether a
 * server is there (a pid in a file can be stale or reused). While it starts, it also says so in
 * {@code <data>/server.starting} (its pid) from before it opens the database until its control API
 * is published in {@code control.json}. A command that finds a server starting or stopping waits for
 * it instead of opening the database itself: H2 lets one process open it, and a command that took it
 * first would stop the server from starting. A marker without the lock held is ignored.
 */
public final class ServerStartup {
    public static final String FILE_NAME = "server.starting";
    /** Locked by the server for its whole life; its text (the pid) only informs. */
    public static final String LOCK_FILE = "server.lock";
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long {@link #lock} retries: a command's look at the lock holds it for a moment. */
    private static final Duration LOCK_RETRY = Duration.ofSeconds(2);
    /**
     * The server locks of this process, by data folder. POSIX drops every lock a process has on a
     * file when it closes any channel to it, so this process never opens a second channel to a
     * lock file it holds: it answers from here. Keyed by the folder itself ({@link #key}), so another
     * path to it (a symlink, a bind mount) finds the entry too.
     */
    private static final java.util.Map<Object, ServerLock> HELD = new java.util.concurrent.ConcurrentHashMap<>();

    private ServerStartup() {
    }

    /** This process's hold on a data folder as its server; {@link #close()} lets go (the kernel does on exit). */
    public static final class ServerLock implements AutoCloseable {
        private final Object key;
        /** Null while {@link #lock} still takes it: the entry in HELD reserves the folder first. */
        private volatile FileChannel channel;

        private ServerLock(Object key) {
            this.key = key;
        }

        @Override
        public void close() {
            closeQuietly(channel); // releases the lock; the file stays (deleting it would race the next server)
            HELD.remove(key, this);
        }
    }

    /**
     * The folder itself, not one path to it: its file key (device and inode) where the file system
     * has one, else its real path; a folder that does not exist yet has no lock to guard.
     */
    private static Object key(Path dataDir) {
        try {
            Object fileKey = Files.readAttributes(dataDir, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return fileKey != null ? fileKey : dataDir.toRealPath();
        } catch (IOException e) {
            return dataDir.toAbsolutePath().normalize();
        }
    }

    /**
     * Makes this process the server of {@code dataDir} (an existing folder) until the returned lock
     * is closed or the process ends. Fails, naming the other server, when one holds the folder.
     */
    public static ServerLock lock(Path dataDir) {
        return lock(dataDir, null);
    }

    /**
     * As {@link #lock(Path)}; the lock file is readable by {@code group} (may be null) too, so its
     * members see that a server holds the folder (a look at the lock needs reading it).
     */
    public static ServerLock lock(Path dataDir, String group) {
        Object key = key(dataDir);
        Path file = dataDir.resolve(LOCK_FILE);
        // reserved before any channel opens: a second channel's close would drop the first one's lock
        ServerLock lock = new ServerLock(key);
        if (HELD.putIfAbsent(key, lock) != null) throw held(dataDir, ProcessHandle.current().pid());
        FileChannel ch = null;
        try {
            try {
                ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            if (group != null) PrivateFiles.shareWithGroup(file, group);
            long deadline = System.nanoTime() + LOCK_RETRY.toNanos();
            while (true) {
                FileLock got = null;
                try {
                    got = ch.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    // this process holds it through another channel
                }
                if (got != null) break;
                if (System.nanoTime() - deadline > 0) {
                    ch.close();
                    HELD.remove(key, lock);
                    throw held(dataDir, lockPid(dataDir).orElse(-1L));
                }
                Thread.sleep(50);
            }
            ProcessHandle me = ProcessHandle.current();
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(("pid=" + me.pid() + "\nprocessStart="
                    + me.info().startInstant().map(Instant::toString).orElse("") + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            lock.channel = ch;
            return lock;
        } catch (IOException e) {
            closeQuietly(ch);
            HELD.remove(key, lock);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(ch);
            HELD.remove(key, lock);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while locking " + file, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(ch);
            HELD.remove(key, lock);
            throw e;
        }
    }

    private static IllegalStateException held(Path dataDir, long pid) {
        String who = "a Netroot server" + (pid > 0 ? " (pid " + pid + ")" : "");
        if (Files.exists(dataDir.resolve(FILE_NAME))) {
            return new IllegalStateException(who + " is starting for " + dataDir
                    + ": one server per data folder; use it (`netroot status`) or stop it first");
        }
        return new IllegalStateException(who + " already runs for " + dataDir
                + ": use it (the other commands talk to it), or stop it first");
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    /**
     * The pid of the server that holds {@code dataDir} (starting, running or stopping), if one does:
     * a look at the OS lock (taken shared for a moment, never while this process holds it).
     */
    public static Optional<Long> serverPid(Path dataDir) {
        if (HELD.containsKey(key(dataDir))) return Optional.of(ProcessHandle.current().pid());
        Path file = dataDir.resolve(LOCK_FILE);
        if (!Files.exists(file)) return Optional.empty();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) { // a shared lock needs reading only
            FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held in this process through another channel: a server here
        } catch (IOException e) {
            return Optional.empty(); // not ours to open: no server of this user
        }
        return Optional.of(lockPid(dataDir).orElse(-1L));
    }

    private static Optional<Long> lockPid(Path dataDir) {
        try {
            for (String line : Files.readString(dataDir.resolve(LOCK_FILE), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("pid=")) return Optional.of(Long.parseLong(line.substring(4).trim()));
            }
        } catch (IOException | RuntimeException e) {
            // being written: the pid only informs
        }
        return Optional.empty();
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
     * The caller holds the folder's {@link #lock}, so any marker already there is a dead server's and
     * is replaced.
     */
    public static Announcement announce(Path dataDir) {
        return announce(dataDir, null);
    }

    /** As {@link #announce(Path)}; {@code group} (may be null) may read the marker too. */
    public static Announcement announce(Path dataDir, String group) {
        if (!HELD.containsKey(key(dataDir))) {
            throw new IllegalStateException("lock " + dataDir.resolve(LOCK_FILE) + " (ServerStartup.lock) before announcing");
        }
        Path file = dataDir.resolve(FILE_NAME);
        ProcessHandle me = ProcessHandle.current();
        String text = "pid=" + me.pid() + "\nprocessStart=" + me.info().startInstant().map(Instant::toString).orElse("")
                + "\nannounced=" + Instant.now() + "\n";
        try {
            PrivateFiles.writeAtomically(file, text, group); // readers never see half a marker
            return new Announcement(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The pid of the live server that is starting for {@code dataDir}, if one is (its marker, and the lock held). */
    public static Optional<Long> startingPid(Path dataDir) {
        if (!Files.exists(dataDir.resolve(FILE_NAME))) return Optional.empty();
        Optional<Long> server = serverPid(dataDir);
        if (server.isEmpty()) return Optional.empty(); // a dead server's marker: the kernel dropped its lock
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
        // the lock holder decides; the marker's pid only fills in when the lock file's text is being written
        return Optional.of(server.get() > 0 ? server.get() : pid > 0 ? pid : -1L);
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
     * A server that is stopping (it holds the lock, published no control API and no marker) is waited
     * for until it let go: false then, the data folder is free. False at once when no server holds
     * the folder, and false when the starting server gave up. A server still starting (or stopping)
     * after {@code max} is an {@link IllegalStateException}: the caller must not open the database under it.
     *
     * @param progress gets one line when there is something to wait for
     */
    public static boolean awaitStartingServer(Path dataDir, Duration max, Consumer<String> progress) {
        Optional<Long> pid = serverPid(dataDir);
        if (pid.isEmpty()) return false;
        String doing = busy(dataDir);
        if (doing == null) return answers(dataDir); // runs: its control API is published
        progress.accept("waiting for the Netroot server that is " + doing + " (pid " + pid.get() + ")...");
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (answers(dataDir)) return true;
            Optional<Long> still = serverPid(dataDir);
            if (still.isEmpty()) return answers(dataDir);
            if (busy(dataDir) == null) return answers(dataDir);
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the Netroot server (pid " + still.get() + ") for " + dataDir
                        + " is still " + doing + " after " + max.toSeconds() + " s: try again in a moment (`netroot status`)");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Netroot server to start", e);
            }
        }
    }

    /**
     * For a folder whose server lock is held: "starting" (its marker is there), "stopping" (no marker
     * and no control API published: it took control.json away first), or null (it runs).
     */
    private static String busy(Path dataDir) {
        if (Files.exists(dataDir.resolve(FILE_NAME))) return "starting";
        return ControlEndpoint.read(dataDir).isEmpty() ? "stopping" : null;
    }

    private static boolean answers(Path dataDir) {
        if (ControlEndpoint.read(dataDir).isEmpty()) return false;
        Optional<RemoteControl> r = RemoteControl.connect(dataDir);
        r.ifPresent(RemoteControl::close);
        return r.isPresent();
    }
}
