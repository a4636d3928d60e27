package org.netroot.server.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

/**
 * Whether this user may use a data folder that another user's server keeps (the system service's
 * {@code /var/lib/netroot}, user and group {@code netroot}), in words that say how to get the right:
 * without them the user would hear "no server runs" or a database error.
 */
public final class DataFolderAccess {
    private DataFolderAccess() {
    }

    /**
     * Why this user cannot reach the control API of the server in {@code dataDir}: the folder shuts them
     * out, or its token ({@code control.json}) is not theirs to read. Empty when they can, and when there
     * is nothing to reach (no folder, no token).
     */
    public static Optional<String> controlProblem(Path dataDir) {
        if (!Files.isDirectory(dataDir)) return Optional.empty();
        if (!Files.isExecutable(dataDir) || !Files.isReadable(dataDir)) {
            return Optional.of(shutOut(dataDir, dataDir, "may not open the data folder " + dataDir));
        }
        Path token = ControlEndpoint.file(dataDir);
        if (Files.exists(token) && !Files.isReadable(token)) {
            return Optional.of(shutOut(dataDir, token, "may not read the token of the control API in " + token));
        }
        return Optional.empty();
    }

    /**
     * Why this user cannot open {@code dataDir} themselves while no server runs for it: it is another
     * user's folder (only its server opens the database). Root too is refused: the database, volumes and
     * settings it made there would be root's, and the service's user could no longer open them. Empty
     * when they may, or when it does not exist yet.
     */
    public static Optional<String> offlineProblem(Path dataDir) {
        if (!Files.isDirectory(dataDir)) return Optional.empty();
        Optional<String> ownerName = attributes(dataDir).map(a -> a.owner().getName());
        boolean mine = ownerName.map(o -> o.equals(System.getProperty("user.name"))).orElse(Files.isWritable(dataDir));
        if (mine) return Optional.empty();
        String owner = ownerName.orElse("another user");
        String start = dataDir.equals(DataFolder.SYSTEM)
                ? "start the service: `sudo systemctl start netroot-server`"
                : "start its server (`netroot serve --data " + dataDir + "` as " + owner + ")";
        return Optional.of("no Netroot server runs for " + dataDir + ", and only its owner " + owner
                + " may open it without one: " + start + " (or use a data folder of your own: --data DIR)");
    }

    private static String shutOut(Path dataDir, Path what, String problem) {
        String me = System.getProperty("user.name");
        Optional<PosixFileAttributes> folder = attributes(dataDir);
        Optional<PosixFileAttributes> file = attributes(what);
        String advice;
        if (folder.isPresent() && file.isPresent() && groupMayRead(folder.get(), true) && groupMayRead(file.get(), false)) {
            String group = file.get().group().getName();
            advice = "members of group " + group + " may: join it (`sudo adduser " + me + " " + group + "`), then log out"
                    + " and in again";
        } else {
            advice = "only " + folder.map(a -> "user " + a.owner().getName()).orElse("its owner") + " may";
        }
        return "you (" + me + ") " + problem + "; " + advice + ". Or use a data folder of your own: --data DIR";
    }

    private static boolean groupMayRead(PosixFileAttributes a, boolean folder) {
        return a.permissions().contains(PosixFilePermission.GROUP_READ)
                && (!folder || a.permissions().contains(PosixFilePermission.GROUP_EXECUTE));
    }

    private static Optional<PosixFileAttributes> attributes(Path p) {
        try {
            return Optional.of(Files.readAttributes(p, PosixFileAttributes.class));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
