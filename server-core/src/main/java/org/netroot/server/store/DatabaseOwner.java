package org.netroot.server.store;

import org.netroot.server.api.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.netroot.server.api.ServerStartup;

/**
 * Who has the database open, in {@code <data>/database.owner}: H2's file lock says only that someone
 * does. Written by the process that got the lock, removed before it lets go, so a process that finds
 * the database locked can tell the user which server or command holds it.
 *
 * @param role    {@link #SERVER} or {@link #COMMAND}
 * @param command what the user typed, e.g. {@code netroot status} (no option values: they may be secrets)
 */
public record DatabaseOwner(long pid, String role, String command) {
    public static final String FILE_NAME = "database.owner";
    public static final String SERVER = "server";
    public static final String COMMAND = "command";
    /** Set by the CLI: the words of the running command. */
    public static final String COMMAND_PROPERTY = "netroot.command";

    public boolean isServer() {
        return SERVER.equals(role);
    }

    /** "a Netroot server (pid 42)" or "another Netroot command (pid 42: netroot status)". */
    public String describe() {
        return isServer() ? "a Netroot server (pid " + pid + ")"
                : "another Netroot command (pid " + pid + (command.isBlank() ? "" : ": " + command) + ")";
    }

    static void write(Path dataDir, String role) {
        ProcessHandle me = ProcessHandle.current();
        String command = System.getProperty(COMMAND_PROPERTY, role.equals(SERVER) ? "netroot serve" : "");
        String text = "pid=" + me.pid() + "\nprocessStart=" + me.info().startInstant().map(Instant::toString).orElse("")
                + "\nrole=" + role + "\ncommand=" + command.replace('\n', ' ') + "\n";
        try {
            PrivateFiles.writeAtomically(dataDir.resolve(FILE_NAME), text);
        } catch (IOException e) {
            // only the wording of another process's error depends on it
        }
    }

    /** Removes the file if this process wrote it. */
    static void remove(Path dataDir) {
        read(dataDir).filter(o -> o.pid() == ProcessHandle.current().pid()).ifPresent(o -> {
            try {
                Files.deleteIfExists(dataDir.resolve(FILE_NAME));
            } catch (IOException ignored) {
                // a stale owner of a dead process is ignored by readers
            }
        });
    }

    /** The live process that wrote the file, if it still runs. */
    public static Optional<DatabaseOwner> read(Path dataDir) {
        String text;
        try {
            text = Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid = -1;
        Instant start = null;
        String role = COMMAND;
        String command = "";
        for (String line : text.split("\n")) {
            try {
                if (line.startsWith("pid=")) pid = Long.parseLong(line.substring(4).trim());
                if (line.startsWith("processStart=") && line.length() > 13) start = Instant.parse(line.substring(13).trim());
                if (line.startsWith("role=")) role = line.substring(5).trim();
                if (line.startsWith("command=")) command = line.substring(8).trim();
            } catch (RuntimeException ignored) {
                // not written by us: no owner to name
            }
        }
        if (pid <= 0 || !ServerStartup.isSameLiveProcess(pid, start)) return Optional.empty();
        return Optional.of(new DatabaseOwner(pid, role, command));
    }
}
