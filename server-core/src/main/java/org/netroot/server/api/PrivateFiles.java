package org.netroot.server.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.FileSystemException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * The data folder's small state files (control.json, server.starting, database.owner): readable by
 * their user only (control.json holds the API token), and written atomically so a reader never sees
 * half of one. A server given a control group ({@code serve --control-group}, the system service's
 * {@code netroot}) also lets that group read the files that say where and whether it runs: its
 * members may use the control API.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Writes {@code text} to {@code file} through a 0600 temporary file of this process, then renames it. */
    public static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, text, null);
    }

    /**
     * As {@link #writeAtomically(Path, String)}; with a {@code group}, the file is readable by that group
     * too (0640) from the moment it appears under its name.
     */
    public static void writeAtomically(Path file, String text, String group) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (group != null) shareWithGroup(tmp, group);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes {@code file} readable by {@code group} (owner read-write, group read, others nothing). */
    public static void shareWithGroup(Path file, String group) throws IOException {
        GroupPrincipal g;
        try {
            g = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("there is no group " + group + " (the control group): create it (`sudo addgroup --system "
                    + group + "`) or leave out --control-group", e);
        }
        try {
            Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(g);
        } catch (FileSystemException e) {
            throw new IOException("cannot give " + file + " to group " + group + ": the server's user ("
                    + System.getProperty("user.name") + ") must be a member of it (" + e.getMessage() + ")", e);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    }
}
